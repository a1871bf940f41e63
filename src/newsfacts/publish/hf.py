"""Publish a built dataset folder to a Hugging Face dataset repo as one tagged release.

`publish_hf` makes one atomic commit holding exactly the folder's files and tags it
`v{version}`. It can be rerun safely:

- the tag exists on a commit with the same files: nothing is done ("already-published");
- the tag exists on a commit with other files: `DuplicateVersionError`, nothing is changed;
- the head of `main` already has the folder's files (a previous run committed, then failed
  before tagging): that commit is tagged, no second commit is made ("tagged-existing-commit");
- otherwise one commit "Release v{version}" replaces the files of `main` (adds, updates and
  deletes), made only if `main` has not moved since it was read, then tagged ("published").

Files are compared by content: sha256 for LFS files, the git blob id for the others. The
`.gitattributes` the Hub puts in every new repo is kept and ignored in comparisons, unless the
folder has its own. The token comes from the `token` argument or `HF_TOKEN` only, is never
printed or logged, and is not needed for a dry run, which contacts no server at all.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from newsfacts.publish.pypi import PublishError  # one error type for every publish target

log = logging.getLogger(__name__)

Status = Literal["published", "tagged-existing-commit", "already-published", "dry-run"]
REPO_TYPE = "dataset"
BRANCH = "main"
# Files the Hub manages in every repo: kept on the remote when the folder has none.
HUB_MANAGED = frozenset({".gitattributes"})
_VERSION = re.compile(r"[0-9][0-9A-Za-z.+-]*")
_SKIPPED_DIRS = frozenset({".git", ".cache"})  # VCS data, huggingface_hub's local-dir metadata


class DuplicateVersionError(PublishError):
    """The version's tag already exists and points at different content."""


@dataclass(frozen=True)
class PublishedFile:
    path: str  # posix path inside the repo
    size: int
    sha256: str
    git_oid: str  # git blob id of the content, what the Hub reports for non-LFS files


@dataclass(frozen=True)
class PublishResult:
    repo_id: str
    tag: str
    commit: str | None  # None for a dry run
    status: Status
    files: tuple[PublishedFile, ...]

    def summary(self) -> str:
        """Human-readable plan or outcome: repo, tag, commit and one line per file."""
        head = f"{self.status}: datasets/{self.repo_id} tag {self.tag}"
        if self.commit:
            head += f" commit {self.commit}"
        lines = [f"{f.size:>12}  {f.sha256}  {f.path}" for f in self.files]
        total = sum(f.size for f in self.files)
        return "\n".join([head, *lines, f"{len(self.files)} files, {total} bytes"])


def local_files(folder: Path) -> tuple[PublishedFile, ...]:
    """Every file under `folder` (except .git/ and .cache/ folders), sorted by path, hashed."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PublishError(f"Not a folder: {folder}")
    out = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or _SKIPPED_DIRS.intersection(rel.parts[:-1]):
            continue
        size = path.stat().st_size
        # One streamed pass for both digests: huggingface_hub.utils.sha.git_hash wants the
        # whole file as bytes, and its sha_fileobj would read the file a second time.
        sha256 = hashlib.sha256()
        sha1 = hashlib.sha1(b"blob %d\0" % size)  # git blob id, as the Hub lists files
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                sha256.update(chunk)
                sha1.update(chunk)
        out.append(PublishedFile(rel.as_posix(), size, sha256.hexdigest(), sha1.hexdigest()))
    if not out:
        raise PublishError(f"No files to publish in {folder}")
    return tuple(sorted(out, key=lambda f: f.path))


def publish_hf(
    folder: Path,
    repo_id: str,
    version: str,
    *,
    token: str | None = None,
    endpoint: str | None = None,
    dry_run: bool = False,
) -> PublishResult:
    """Publish `folder` to the dataset repo `repo_id` as release `v{version}` (see module doc).

    `endpoint` defaults to huggingface_hub's (`HF_ENDPOINT`). With `dry_run`, print and return
    the files that would be uploaded (path, size, sha256) and the repo/tag, contacting nothing.
    """
    if not _VERSION.fullmatch(version):
        raise ValueError(f"Version must look like 1.2.3 (no leading 'v'), got {version!r}")
    tag = f"v{version}"
    folder = Path(folder)
    files = local_files(folder)
    if dry_run:
        result = PublishResult(repo_id, tag, None, "dry-run", files)
        print(result.summary())
        return result

    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, RepoFile

    # token=False stops huggingface_hub from falling back to a token saved on this machine.
    token = token if token is not None else os.environ.get("HF_TOKEN")
    api = HfApi(endpoint=endpoint, token=token or False)
    api.create_repo(repo_id, repo_type=REPO_TYPE, exist_ok=True)
    refs = api.list_repo_refs(repo_id, repo_type=REPO_TYPE)
    tags = {ref.name: ref.target_commit for ref in refs.tags}
    heads = {ref.name: ref.target_commit for ref in refs.branches}

    def remote(commit: str) -> dict:
        return {
            entry.path: entry
            for entry in api.list_repo_tree(
                repo_id, recursive=True, revision=commit, repo_type=REPO_TYPE
            )
            if isinstance(entry, RepoFile)
        }

    if tag in tags:
        differences = _differences(files, remote(tags[tag]))
        if differences:
            shown = ", ".join(differences[:10]) + (", ..." if len(differences) > 10 else "")
            raise DuplicateVersionError(
                f"{tag} is already published in datasets/{repo_id} (commit {tags[tag]}) with "
                f"different files: {shown}. Publish a new version instead."
            )
        log.info("%s already published at %s", tag, tags[tag])
        return PublishResult(repo_id, tag, tags[tag], "already-published", files)

    head = heads.get(BRANCH)
    remote_head = remote(head) if head else {}
    if head and not _differences(files, remote_head):
        log.info("head of %s already holds these files: tagging %s as %s", BRANCH, head, tag)
        api.create_tag(repo_id, tag=tag, revision=head, repo_type=REPO_TYPE, tag_message=tag)
        return PublishResult(repo_id, tag, head, "tagged-existing-commit", files)

    local = {f.path for f in files}
    operations: list[CommitOperationAdd | CommitOperationDelete] = [
        CommitOperationAdd(f.path, str(folder / f.path)) for f in files]
    operations += [
        CommitOperationDelete(path)
        for path in sorted(remote_head)
        if path not in local and path not in HUB_MANAGED
    ]
    info = api.create_commit(
        repo_id,
        operations,
        commit_message=f"Release {tag}",
        repo_type=REPO_TYPE,
        revision=BRANCH,
        parent_commit=head,  # refuse to commit if main moved since it was compared
    )
    log.info("committed %s files to %s as %s", len(files), repo_id, info.oid)
    api.create_tag(repo_id, tag=tag, revision=info.oid, repo_type=REPO_TYPE, tag_message=tag)
    return PublishResult(repo_id, tag, info.oid, "published", files)


def _differences(files: tuple[PublishedFile, ...], remote: dict) -> list[str]:
    """Paths whose content differs between the local files and a remote snapshot."""
    local = {f.path: f for f in files}
    out = []
    for path in sorted(local.keys() | remote.keys()):
        if path in HUB_MANAGED and path not in local:
            continue
        mine, theirs = local.get(path), remote.get(path)
        if mine is None:
            out.append(f"{path} (only remote)")
        elif theirs is None:
            out.append(f"{path} (only local)")
        elif theirs.lfs is not None:
            if theirs.lfs.sha256 != mine.sha256:
                out.append(path)
        elif theirs.blob_id != mine.git_oid:
            out.append(path)
    return out
