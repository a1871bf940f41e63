"""A minimal local Hugging Face Hub for tests: real state, no network, stdlib HTTP server.

`HubServer(root).start()` binds 127.0.0.1 on a free port; point clients at it with
`HF_ENDPOINT=server.url` (or `HfApi(endpoint=server.url)`) and `HF_HUB_DISABLE_XET=1`.
Written against the requests made by huggingface_hub 2.4 and datasets 5.2.

Implemented (model and dataset repos; every answer is computed from the stored state):

- `POST /api/repos/create`: a repo starts, as on the Hub, with an "initial commit" holding a
  default `.gitattributes` (`*.parquet`, `*.arrow`, ... `filter=lfs`); 409 if it exists.
- `POST /api/validate-yaml`: parses the README front matter with PyYAML; 400 if invalid.
- Commits are immutable snapshots {path: blob}. Their ids are real git object ids: blobs (an LFS
  file's git blob is its pointer file), trees and commits are hashed as git does, so folder
  `oid`s are git tree ids too. Bytes are stored content-addressed (sha256) under `root/objects`;
  refs and commits live in memory.
- Revisions: branch name, tag name, full commit id or a unique prefix of 7+ hex digits.
- `GET /api/{models|datasets}/{repo}[/revision/{rev}]`: id, sha, dates, siblings (`blobs=1`
  adds size/blobId/lfs), cardData from the README; `expand` filters the properties.
- `GET .../refs`, `GET .../commits/{rev}` (parent chain, newest first).
- `GET .../tree/{rev}[/{path}]` (`recursive`, `expand` adds `lastCommit`: the newest commit that
  changed that entry) and `POST .../paths-info/{rev}` (form `paths`, `expand`; unknown paths are
  skipped).
- `POST .../preupload/{rev}`: "lfs" when `.gitattributes` at that revision tracks the path with
  `filter=lfs` (fnmatch, approximate), the size is >= 10 MiB, or the 512-byte sample has a NUL
  byte; otherwise "regular". `oid` is the existing file's sha256 (LFS) or git blob id, which is
  what the client compares to skip unchanged files.
- LFS "basic" transfer: `POST /{[datasets/]repo}.git/info/lfs/objects/batch` (operation
  "upload"; objects the repo already holds get no actions), `PUT` of the bytes (sha256 and size
  checked) and the verify call.
- `POST .../commit/{branch}`: NDJSON `header` (summary, description, parentCommit -> 412 if it
  is not the branch head), `file` (base64), `lfsFile` (must have been uploaded), `deletedFile`,
  `deletedFolder` (404 EntryNotFound if absent). All checks happen before the branch moves:
  one commit, all or nothing.
- `POST .../tag/{rev}` {tag, message}: 409 if the tag exists, 404 RevisionNotFound.
- `GET|HEAD /{[datasets/]repo}/resolve/{rev}/{path}`: bytes served directly (no CDN redirect)
  with `X-Repo-Commit`, `ETag` (git blob id, or sha256 for LFS, plus `X-Linked-Etag` and
  `X-Linked-Size`), `Content-Length`, single `Range` (206 / 416).
- Errors carry `X-Error-Code` (RepoNotFound, RevisionNotFound, EntryNotFound) as on the Hub, so
  the client raises its own typed errors.
- Test hooks: `requests` (method, path, authorized or not, status, error code) and `fail_next()`,
  which answers one matching request with an error, before or after applying it. Unknown routes
  answer 404 "NoRoute" and handler bugs 500 "TestHubCrash", so tests can assert there were none.

Not covered: authentication and permissions (tokens are accepted and ignored, never stored or
logged), private/gated repos, Xet storage, LFS multipart and download batches, `.gitignore`
(`shouldIgnore` is always false), pagination (every listing is one page), pull requests and
`create_pr`, branches other than `main` (no create/delete branch), tag deletion, repo
deletion/move/settings, copies (`CommitOperationCopy`), spaces, the dataset viewer (parquet
export) and any other endpoint.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import re
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

LFS_SIZE_THRESHOLD = 10 * 1024 * 1024
DEFAULT_GITATTRIBUTES = b"".join(
    f"{pattern} filter=lfs diff=lfs merge=lfs -text\n".encode()
    for pattern in ("*.7z", "*.arrow", "*.bin", "*.gz", "*.parquet", "*.safetensors", "*.zip")
)
_API_TYPES = {"models": "model", "datasets": "dataset"}
_URL_PREFIX = {"model": "", "dataset": "datasets/"}


def _git_hash(kind: bytes, data: bytes) -> str:
    return hashlib.sha1(b"%s %d\0" % (kind, len(data)) + data).hexdigest()


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


class HubError(Exception):
    def __init__(self, status: int, message: str, code=None, headers=None, **body):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
        self.headers, self.body = dict(headers or {}), body


@dataclass(frozen=True)
class Blob:
    size: int
    sha256: str
    git_oid: str  # id of the git blob: the content itself, or the LFS pointer file
    lfs: bool
    pointer_size: int = 0

    @classmethod
    def regular(cls, data: bytes, sha256: str) -> Blob:
        return cls(len(data), sha256, _git_hash(b"blob", data), False)

    @classmethod
    def lfs_object(cls, size: int, sha256: str) -> Blob:
        pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n"
        return cls(size, sha256, _git_hash(b"blob", pointer.encode()), True, len(pointer))


def _tree_oids(files: Mapping[str, Blob]) -> dict[str, str]:
    """Git tree id of every directory of a snapshot ("" is the root)."""
    entries: dict[str, dict[str, tuple[bytes, str]]] = {"": {}}
    for path, blob in files.items():
        parts = path.split("/")
        for i in range(1, len(parts)):
            entries.setdefault("/".join(parts[:i]), {})
        entries["/".join(parts[:-1])][parts[-1]] = (b"100644", blob.git_oid)
    oids: dict[str, str] = {}
    for d in sorted(entries, key=lambda d: d.count("/") + 1 if d else 0, reverse=True):
        items = sorted(
            entries[d].items(),
            key=lambda kv: kv[0].encode() + (b"/" if kv[1][0] == b"40000" else b""),
        )
        body = b"".join(m + b" " + n.encode() + b"\0" + bytes.fromhex(o) for n, (m, o) in items)
        oids[d] = _git_hash(b"tree", body)
        if d:
            parent, _, name = d.rpartition("/")
            entries[parent][name] = (b"40000", oids[d])
    return oids


@dataclass(frozen=True)
class Commit:
    oid: str
    parent: str | None
    files: Mapping[str, Blob]
    dirs: Mapping[str, str]  # directory -> git tree id
    title: str
    description: str
    timestamp: float
    author: str

    @classmethod
    def make(cls, parent, files, title, description, author, timestamp):
        dirs = _tree_oids(files)
        message = title + (f"\n\n{description}" if description else "") + "\n"
        sig = f"{author} <{author}@localhost> {int(timestamp)} +0000"
        raw = f"tree {dirs['']}\n" + (f"parent {parent}\n" if parent else "")
        raw += f"author {sig}\ncommitter {sig}\n\n{message}"
        return cls(
            _git_hash(b"commit", raw.encode()),
            parent,
            MappingProxyType(dict(files)),
            MappingProxyType(dirs),
            title,
            description,
            timestamp,
            author,
        )

    def entry(self, path: str) -> str | None:
        """Git id of a file or directory in this snapshot, None if absent."""
        if path in self.files:
            return self.files[path].git_oid
        return self.dirs.get(path)


@dataclass
class Repo:
    type: str
    repo_id: str
    created: float
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    lfs_objects: dict[str, int] = field(default_factory=dict)  # sha256 -> size uploaded here

    def resolve(self, rev: str) -> Commit:
        oid = self.branches.get(rev) or self.tags.get(rev)
        if oid is None and re.fullmatch(r"[0-9a-f]{7,40}", rev):
            matches = [c for c in self.commits if c.startswith(rev)]
            oid = matches[0] if len(matches) == 1 else None
        if oid is None:
            raise HubError(404, f"Invalid rev id: {rev}", "RevisionNotFound")
        return self.commits[oid]

    def history(self, rev: str = "main") -> list[Commit]:
        out, commit = [], self.resolve(rev)
        while True:
            out.append(commit)
            if commit.parent is None:
                return out
            commit = self.commits[commit.parent]

    def last_change(self, commit: Commit, path: str) -> Commit:
        """Newest ancestor of `commit` (itself included) that changed `path`."""
        oid = commit.entry(path)
        while commit.parent is not None and self.commits[commit.parent].entry(path) == oid:
            commit = self.commits[commit.parent]
        return commit


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    authorized: bool  # whether an Authorization header came with it (its value is not kept)
    status: int
    error: str | None  # X-Error-Code answered: "NoRoute" and "TestHubCrash" are this server's


class HubServer:
    """In-process Hub on 127.0.0.1. Use as a context manager, or call start()/stop()."""

    def __init__(self, root: Path | None = None):
        self._tmp = None if root is not None else tempfile.TemporaryDirectory()
        self.root = Path(root if root is not None else self._tmp.name)
        self.objects = self.root / "objects"
        self.objects.mkdir(parents=True, exist_ok=True)
        self.repos: dict[tuple[str, str], Repo] = {}
        self.requests: list[RequestRecord] = []
        self._failures: list[tuple[str, re.Pattern, int, bool]] = []
        self.lock = threading.RLock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.hub = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread: threading.Thread | None = None

    # -- lifecycle and test hooks -------------------------------------------------------------
    def start(self) -> HubServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def fail_next(self, method: str, path_regex: str, status: int = 500, *, after=False) -> None:
        """Answer the next `method` request whose path matches with `status`. With `after`,
        the request is applied first (as when a response is lost on the way back)."""
        with self.lock:
            self._failures.append((method, re.compile(path_regex), status, after))

    def repo(self, repo_id: str, repo_type: str = "dataset") -> Repo:
        with self.lock:
            return self._repo(repo_type, repo_id)

    # -- state helpers --------------------------------------------------------------------------
    def _repo(self, repo_type: str, repo_id: str) -> Repo:
        try:
            return self.repos[(repo_type, repo_id)]
        except KeyError:
            raise HubError(404, f"Repository not found: {repo_id}", "RepoNotFound") from None

    def _store(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        path = self.objects / sha
        if not path.exists():
            tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return sha

    def _read(self, blob: Blob) -> bytes:
        return (self.objects / blob.sha256).read_bytes()

    def _entry_json(self, repo: Repo, commit: Commit, path: str, expand: bool) -> dict:
        if path in commit.files:
            blob = commit.files[path]
            out: dict = {"type": "file", "oid": blob.git_oid, "size": blob.size, "path": path}
            if blob.lfs:
                out["lfs"] = {
                    "oid": blob.sha256,
                    "size": blob.size,
                    "pointerSize": blob.pointer_size,
                }
        else:
            out = {"type": "directory", "oid": commit.dirs[path], "size": 0, "path": path}
        if expand:
            last = repo.last_change(commit, path)
            out["lastCommit"] = {"id": last.oid, "title": last.title, "date": _iso(last.timestamp)}
        return out

    def _lfs_patterns(self, commit: Commit) -> list[str]:
        blob = commit.files.get(".gitattributes")
        if blob is None:
            return []
        patterns = []
        for line in self._read(blob).decode("utf-8", "replace").splitlines():
            parts = line.split()
            if len(parts) > 1 and not parts[0].startswith("#") and "filter=lfs" in parts[1:]:
                patterns.append(parts[0])
        return patterns

    @staticmethod
    def _tracked(path: str, patterns: list[str]) -> bool:
        name = path.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatchcase(path if "/" in p else name, p.lstrip("/")) for p in patterns)

    def _commit(self, repo: Repo, parent: str | None, files, title, desc, author) -> Commit:
        commit = Commit.make(parent, files, title, desc, author, time.time())
        repo.commits[commit.oid] = commit
        return commit


def _card_data(readme: bytes) -> dict | None:
    """The YAML front matter of a README, None if there is none; raises on invalid YAML."""
    text = readme.decode("utf-8")
    match = re.match(r"^---\s*\n(.*?\n)?---\s*(\n|$)", text, re.S)
    if not match:
        return None
    data = yaml.safe_load(match.group(1) or "")
    if data is not None and not isinstance(data, dict):
        raise ValueError("metadata must be a YAML mapping")
    return data or {}


def _check_path(path: str) -> str:
    parts = path.split("/")
    if not path or path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise HubError(400, f"Invalid path: {path!r}")
    if parts[0] == ".git":
        raise HubError(400, f"Invalid path: {path!r}")
    return path


_REPO = r"(?P<ns>[^/]+)/(?P<name>[^/]+)"
_API = r"/api/(?P<t>models|datasets)/" + _REPO
_ROUTES: list[tuple[str, re.Pattern, str]] = [
    (m, re.compile(rx + r"$"), fn)
    for m, rx, fn in [
        ("POST", r"/api/repos/create", "create_repo"),
        ("POST", r"/api/validate-yaml", "validate_yaml"),
        ("GET", _API, "info"),
        ("GET", _API + r"/revision/(?P<rev>[^/]+)", "info"),
        ("GET", _API + r"/refs", "refs"),
        ("GET", _API + r"/commits/(?P<rev>[^/]+)", "commits"),
        ("GET", _API + r"/tree/(?P<rev>[^/]+)(?:/(?P<path>.+))?", "tree"),
        ("POST", _API + r"/paths-info/(?P<rev>[^/]+)", "paths_info"),
        ("POST", _API + r"/preupload/(?P<rev>[^/]+)", "preupload"),
        ("POST", _API + r"/commit/(?P<rev>[^/]+)", "commit"),
        ("POST", _API + r"/tag/(?P<rev>[^/]+)", "tag"),
        ("POST", r"/(?:(?P<t>datasets)/)?" + _REPO + r"\.git/info/lfs/objects/batch", "lfs_batch"),
        ("PUT", r"/_lfs/(?P<t>models|datasets)/" + _REPO + r"/(?P<oid>[0-9a-f]{64})", "lfs_put"),
        ("POST", r"/_lfs/(?P<t>models|datasets)/" + _REPO + r"/verify", "lfs_verify"),
        (
            "GET",
            r"/(?:(?P<t>datasets)/)?" + _REPO + r"/resolve/(?P<rev>[^/]+)/(?P<path>.+)",
            "resolve",
        ),
    ]
]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive connections of a shared client must not block stop()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    disable_nagle_algorithm = True  # headers and body go out in two writes
    server_version = "newsfacts-test-hub/1"

    def log_message(self, format, *args):  # noqa: A002 - silence the default stderr log
        pass

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    # -- plumbing -------------------------------------------------------------------------------
    @property
    def hub(self) -> HubServer:
        return self.server.hub  # type: ignore[attr-defined]

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        self.query = parse_qs(split.query, keep_blank_values=True)
        self.body = self._read_body()
        hub = self.hub
        with hub.lock:
            failure = next(
                (f for f in hub._failures if f[0] == method and f[1].search(split.path)), None
            )
            if failure is not None:
                hub._failures.remove(failure)
        lookup = "GET" if method == "HEAD" else method
        try:
            for route_method, pattern, name in _ROUTES:
                match = pattern.match(split.path)
                if route_method == lookup and match:
                    args = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
                    if failure is not None and not failure[3]:
                        raise HubError(failure[2], "injected failure")
                    status, headers, body = getattr(self, "h_" + name)(**args)
                    if failure is not None:
                        raise HubError(failure[2], "injected failure (after applying)")
                    break
            else:
                raise HubError(
                    404, f"No such route in the test hub: {method} {split.path}", "NoRoute"
                )
        except Exception as exc:  # a bug in a handler must reach the client as a 500
            err = exc if isinstance(exc, HubError) else HubError(500, repr(exc), "TestHubCrash")
            status, headers = err.status, dict(err.headers)
            body = json.dumps({"error": err.message, **err.body}).encode()
            headers.update({"Content-Type": "application/json", "X-Error-Message": err.message})
            if err.code:
                headers["X-Error-Code"] = err.code
        with hub.lock:
            hub.requests.append(
                RequestRecord(
                    method,
                    split.path,
                    "Authorization" in self.headers,
                    status,
                    headers.get("X-Error-Code"),
                )
            )
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)

    def _json_body(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError as exc:
            raise HubError(400, f"Invalid JSON body: {exc}") from None

    @staticmethod
    def _json(data, status: int = 200, content_type="application/json"):
        return status, {"Content-Type": content_type}, json.dumps(data).encode()

    def _flag(self, name: str) -> bool:
        return self.query.get(name, ["false"])[-1].lower() in ("1", "true")

    def _locate(self, t: str | None, ns: str, name: str, rev: str | None = None):
        repo_type = _API_TYPES[t or "models"]
        repo = self.hub._repo(repo_type, f"{ns}/{name}")
        return repo, (repo.resolve(rev) if rev is not None else None)

    # -- repos ----------------------------------------------------------------------------------
    def h_create_repo(self):
        payload = self._json_body() or {}
        repo_type = payload.get("type") or "model"
        if repo_type not in _URL_PREFIX:
            raise HubError(400, f"Repo type not supported by the test hub: {repo_type}")
        if not payload.get("organization") or not payload.get("name"):
            raise HubError(400, "The test hub has no users: give the repo id as namespace/name")
        repo_id = f"{payload['organization']}/{payload['name']}"
        url = f"{self.hub.url}/{_URL_PREFIX[repo_type]}{repo_id}"
        with self.hub.lock:
            if (repo_type, repo_id) in self.hub.repos:
                raise HubError(409, f"You already created this {repo_type} repo", url=url)
            repo = Repo(repo_type, repo_id, time.time())
            sha = self.hub._store(DEFAULT_GITATTRIBUTES)
            blob = Blob.regular(DEFAULT_GITATTRIBUTES, sha)
            first = self.hub._commit(
                repo, None, {".gitattributes": blob}, "initial commit", "", "system"
            )
            repo.branches["main"] = first.oid
            self.hub.repos[(repo_type, repo_id)] = repo
        return self._json({"url": url, "name": repo_id, "id": repo_id})

    def h_validate_yaml(self):
        payload = self._json_body() or {}
        try:
            _card_data(str(payload.get("content", "")).encode())
        except (ValueError, yaml.YAMLError) as exc:
            return self._json({"errors": [{"message": str(exc)}], "warnings": []}, 400)
        return self._json({"errors": [], "warnings": []})

    def h_info(self, t, ns, name, rev="main"):
        with self.hub.lock:
            repo, commit = self._locate(t, ns, name, rev)
            blobs = self._flag("blobs")
            siblings = []
            for path, blob in sorted(commit.files.items()):
                sibling: dict = {"rfilename": path}
                if blobs:
                    sibling.update(size=blob.size, blobId=blob.git_oid)
                    if blob.lfs:
                        sibling["lfs"] = {
                            "size": blob.size,
                            "sha256": blob.sha256,
                            "pointerSize": blob.pointer_size,
                        }
                siblings.append(sibling)
            info = {
                "_id": hashlib.sha1(repo.repo_id.encode()).hexdigest()[:24],
                "id": repo.repo_id,
                "author": repo.repo_id.split("/")[0],
                "sha": commit.oid,
                "createdAt": _iso(repo.created),
                "lastModified": _iso(commit.timestamp),
                "private": False,
                "gated": False,
                "disabled": False,
                "tags": [],
                "siblings": siblings,
            }
            if "README.md" in commit.files:
                try:
                    card = _card_data(self.hub._read(commit.files["README.md"]))
                except (ValueError, yaml.YAMLError):
                    card = None
                if card is not None:
                    info["cardData"] = card
        expand = self.query.get("expand") or self.query.get("expand[]")
        if expand:
            info = {k: v for k, v in info.items() if k in {"_id", "id", *expand}}
        return self._json(info)

    def h_refs(self, t, ns, name):
        with self.hub.lock:
            repo, _ = self._locate(t, ns, name)

            def refs(kind, mapping):
                return [
                    {"name": n, "ref": f"refs/{kind}/{n}", "targetCommit": oid}
                    for n, oid in sorted(mapping.items())
                ]

            data = {
                "branches": refs("heads", repo.branches),
                "converts": [],
                "tags": refs("tags", repo.tags),
            }
        if self._flag("include_prs"):
            data["pullRequests"] = []
        return self._json(data)

    def h_commits(self, t, ns, name, rev):
        with self.hub.lock:
            repo, _ = self._locate(t, ns, name)
            history = repo.history(rev)
        return self._json(
            [
                {
                    "id": c.oid,
                    "title": c.title,
                    "message": c.description,
                    "date": _iso(c.timestamp),
                    "authors": [{"user": c.author}],
                }
                for c in history
            ]
        )

    # -- listings -------------------------------------------------------------------------------
    def h_tree(self, t, ns, name, rev, path=""):
        path = path.strip("/")
        expand, recursive = self._flag("expand"), self._flag("recursive")
        with self.hub.lock:
            repo, commit = self._locate(t, ns, name, rev)
            if path and path not in commit.dirs:
                raise HubError(
                    404,
                    f"Folder {path!r} not found at {rev}",
                    "EntryNotFound",
                    {"X-Repo-Commit": commit.oid},
                )
            prefix = f"{path}/" if path else ""
            below = [p for p in [*commit.dirs, *commit.files] if p and p.startswith(prefix)]
            if not recursive:
                below = [p for p in below if "/" not in p[len(prefix) :]]
            entries = [self.hub._entry_json(repo, commit, p, expand) for p in sorted(below)]
        return self._json(entries)

    def h_paths_info(self, t, ns, name, rev):
        form = parse_qs(self.body.decode(), keep_blank_values=True)  # sent form-encoded
        paths = [p.strip("/") for p in form.get("paths", [])]
        expand = form.get("expand", ["false"])[-1].lower() in ("1", "true")
        with self.hub.lock:
            repo, commit = self._locate(t, ns, name, rev)
            entries = [
                self.hub._entry_json(repo, commit, p, expand)
                for p in paths
                if p and (p in commit.files or p in commit.dirs)
            ]
        return self._json(entries)

    # -- uploads and commits ----------------------------------------------------------------------
    def h_preupload(self, t, ns, name, rev):
        if self.query.get("create_pr"):
            raise HubError(400, "Pull requests are not implemented by the test hub")
        files = (self._json_body() or {}).get("files", [])
        with self.hub.lock:
            _, commit = self._locate(t, ns, name, rev)
            patterns = self.hub._lfs_patterns(commit)
        out = []
        for f in files:
            path = _check_path(f["path"])
            sample = base64.b64decode(f.get("sample", ""))
            lfs = (
                self.hub._tracked(path, patterns)
                or f.get("size", 0) >= LFS_SIZE_THRESHOLD
                or b"\0" in sample
            )
            existing = commit.files.get(path)
            oid = (
                None
                if existing is None
                else (existing.sha256 if existing.lfs else existing.git_oid)
            )
            out.append(
                {
                    "path": path,
                    "uploadMode": "lfs" if lfs else "regular",
                    "shouldIgnore": False,
                    "oid": oid,
                }
            )
        return self._json({"files": out, "commitOid": commit.oid})

    def h_lfs_batch(self, ns, name, t=None):
        t = t or "models"
        payload = self._json_body() or {}
        if payload.get("operation") != "upload":
            raise HubError(400, "The test hub only implements LFS uploads")
        with self.hub.lock:
            repo, _ = self._locate(t, ns, name)
            held = dict(repo.lfs_objects)
        base = f"{self.hub.url}/_lfs/{t}/{ns}/{name}"
        objects = []
        for obj in payload.get("objects", []):
            oid, size = obj.get("oid"), obj.get("size")
            if not (isinstance(oid, str) and re.fullmatch(r"[0-9a-f]{64}", oid)) or not isinstance(
                size, int
            ):
                objects.append(
                    {
                        "oid": str(oid),
                        "size": int(size or 0),
                        "error": {"code": 422, "message": "invalid oid or size"},
                    }
                )
            elif held.get(oid) == size:
                objects.append({"oid": oid, "size": size})
            else:
                objects.append(
                    {
                        "oid": oid,
                        "size": size,
                        "authenticated": True,
                        "actions": {
                            "upload": {"href": f"{base}/{oid}"},
                            "verify": {"href": f"{base}/verify"},
                        },
                    }
                )
        return self._json(
            {"transfer": "basic", "objects": objects}, content_type="application/vnd.git-lfs+json"
        )

    def h_lfs_put(self, t, ns, name, oid):
        if hashlib.sha256(self.body).hexdigest() != oid:
            raise HubError(400, "Uploaded content does not match its sha256 oid")
        self.hub._store(self.body)
        with self.hub.lock:
            repo, _ = self._locate(t, ns, name)
            repo.lfs_objects[oid] = len(self.body)
        return 200, {}, b""

    def h_lfs_verify(self, t, ns, name):
        payload = self._json_body() or {}
        with self.hub.lock:
            repo, _ = self._locate(t, ns, name)
            size = repo.lfs_objects.get(payload.get("oid"))
        if size is None or size != payload.get("size"):
            raise HubError(404, "LFS object not found or of another size")
        return self._json({"oid": payload["oid"], "size": size})

    def h_commit(self, t, ns, name, rev):
        if self.query.get("create_pr"):
            raise HubError(400, "Pull requests are not implemented by the test hub")
        try:
            lines = [json.loads(line) for line in self.body.splitlines() if line.strip()]
        except ValueError as exc:
            raise HubError(400, f"Invalid NDJSON payload: {exc}") from None
        if not lines or lines[0].get("key") != "header":
            raise HubError(400, "The commit payload must start with a header line")
        header = lines[0]["value"]
        title = str(header.get("summary") or "").strip()
        if not title:
            raise HubError(400, "A commit summary is required")
        # Decode and store the new content before taking the lock; nothing is visible until the
        # branch moves, so a rejected commit leaves only unreferenced content-addressed bytes.
        ops = []
        for line in lines[1:]:
            key, value = line.get("key"), line.get("value") or {}
            raw = str(value.get("path", ""))
            path = _check_path(raw.rstrip("/") if key == "deletedFolder" else raw)
            if key == "file":
                if value.get("encoding", "base64") != "base64":
                    raise HubError(400, "Only base64 file content is supported")
                data = base64.b64decode(value.get("content", ""))
                ops.append(
                    (
                        "add",
                        path,
                        Blob.regular(data, self.hub._store(data)),
                    )
                )
            elif key == "lfsFile":
                ops.append(("lfs", path, (value.get("oid"), value.get("size"))))
            elif key in ("deletedFile", "deletedFolder"):
                ops.append((key, path, None))
            else:
                raise HubError(400, f"Unsupported commit operation: {key}")
        with self.hub.lock:
            repo, _ = self._locate(t, ns, name)
            if rev not in repo.branches:
                if rev in repo.tags or re.fullmatch(r"[0-9a-f]{7,40}", rev):
                    raise HubError(400, f"Can only commit to a branch, not {rev!r}")
                raise HubError(404, f"Branch not found: {rev}", "RevisionNotFound")
            head = repo.commits[repo.branches[rev]]
            parent = header.get("parentCommit")
            if parent and parent != head.oid:
                raise HubError(412, f"Parent commit {parent} is not the head of {rev} ({head.oid})")
            files = dict(head.files)
            for kind, path, arg in ops:
                if kind == "add":
                    files[path] = arg
                elif kind == "lfs":
                    oid, size = arg
                    if oid not in repo.lfs_objects or size not in (None, repo.lfs_objects[oid]):
                        raise HubError(400, f"LFS object {oid} for {path} was not uploaded")
                    files[path] = Blob.lfs_object(repo.lfs_objects[oid], oid)
                elif kind == "deletedFile":
                    if files.pop(path, None) is None:
                        raise HubError(
                            404, f"A file with this name doesn't exist: {path}", "EntryNotFound"
                        )
                else:
                    doomed = [p for p in files if p.startswith(path + "/")]
                    if not doomed:
                        raise HubError(
                            404, f"A folder with this name doesn't exist: {path}", "EntryNotFound"
                        )
                    for p in doomed:
                        del files[p]
            folders = {p.rsplit("/", i)[0] for p in files for i in range(1, p.count("/") + 1)}
            if clash := sorted(folders.intersection(files)):
                raise HubError(400, f"{clash[0]} cannot be both a file and a folder")
            commit = self.hub._commit(
                repo, head.oid, files, title, str(header.get("description") or ""), "test-user"
            )
            repo.branches[rev] = commit.oid
        url = f"{self.hub.url}/{_URL_PREFIX[repo.type]}{repo.repo_id}/commit/{commit.oid}"
        return self._json(
            {"success": True, "commitOid": commit.oid, "commitUrl": url, "pullRequestUrl": None}
        )

    def h_tag(self, t, ns, name, rev):
        payload = self._json_body() or {}
        tag = str(payload.get("tag") or "")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]*", tag):
            raise HubError(400, f"Invalid tag name: {tag!r}")
        with self.hub.lock:
            repo, commit = self._locate(t, ns, name, rev)
            if tag in repo.tags:
                raise HubError(409, f"Tag {tag} already exists")
            repo.tags[tag] = commit.oid
        return self._json({"name": tag, "ref": f"refs/tags/{tag}", "targetCommit": commit.oid})

    # -- downloads ------------------------------------------------------------------------------
    def h_resolve(self, ns, name, rev, path, t=None):
        with self.hub.lock:
            _, commit = self._locate(t, ns, name, rev)
            blob = commit.files.get(path)
        if blob is None:
            raise HubError(
                404, f"Entry not found: {path}", "EntryNotFound", {"X-Repo-Commit": commit.oid}
            )
        headers = {
            "X-Repo-Commit": commit.oid,
            "ETag": f'"{blob.sha256 if blob.lfs else blob.git_oid}"',
            "Accept-Ranges": "bytes",
            "Content-Type": "application/octet-stream",
        }
        if blob.lfs:
            headers.update({"X-Linked-Etag": headers["ETag"], "X-Linked-Size": str(blob.size)})
        data = self.hub._read(blob)
        spec = self.headers.get("Range")
        if not spec:
            return 200, headers, data
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", spec.strip())
        if not match or match.groups() == ("", ""):
            raise HubError(
                416, f"Unsupported range: {spec}", None, {"Content-Range": f"bytes */{len(data)}"}
            )
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last), len(data) - 1) if last else len(data) - 1
        else:
            start, end = max(len(data) - int(last), 0), len(data) - 1
        if start >= len(data) or start > end:
            raise HubError(
                416,
                f"Range not satisfiable: {spec}",
                None,
                {"Content-Range": f"bytes */{len(data)}"},
            )
        headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
        return 206, headers, data[start : end + 1]
