"""Per-article extraction cache: a rebuild extracts only the articles whose result can differ.

An entry is keyed by everything extraction depends on: the article (id, publication date, text
hash) and a fingerprint of the extractor (EXTRACTOR_VERSION, a hash of the extraction code,
the vocabulary hash, spaCy version, model name and version). Change any of them and the key
changes, so old entries are simply never read again.

Entries are files `<root>/<key[:2]>/<key>.json`: a header line
`newsfacts-extraction <format> <key> <sha256 of body>` then `Extraction.to_json()`. They are
written to a temporary file and moved into place with `os.replace`, so concurrent builds
never see half an entry. An entry whose header, key or checksum does not match is not trusted:
the article is extracted again and the entry rewritten. The cache may be deleted at any time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfacts.build.extract import EXTRACTOR_VERSION, Extraction
from newsfacts.build.sources import Article

if TYPE_CHECKING:
    from newsfacts.build.engine import Extractor

FORMAT = 1
_MAGIC = b"newsfacts-extraction"


def default_cache_dir() -> Path:
    """`$NEWSFACTS_CACHE`, else the project's `dataset/.newsfacts-cache/`, else (outside any
    project) `$XDG_CACHE_HOME/newsfacts` (`~/.cache/newsfacts`)."""
    from newsfacts.project import project_path

    env = os.environ.get("NEWSFACTS_CACHE")
    if env:
        return Path(env)
    local = project_path("dataset", ".newsfacts-cache")
    if local is not None:
        return local
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "newsfacts"


def code_hash() -> str:
    """SHA-256 over the extraction code and data (`build/extract/`, `vocab/`,
    `build/annotate.py`): edits invalidate the cache even when nobody bumps EXTRACTOR_VERSION."""
    root = resources.files("newsfacts")
    h = hashlib.sha256()
    paths: list[tuple[str, Any]] = []
    for name in ("build/extract", "vocab"):
        stack = [(name, root / name)]
        while stack:
            rel, node = stack.pop()
            if node.is_dir():
                stack.extend((f"{rel}/{c.name}", c) for c in node.iterdir()
                             if c.name != "__pycache__")
            elif not rel.endswith((".pyc", ".pyo")):
                paths.append((rel, node))
    paths.append(("build/annotate.py", root / "build" / "annotate.py"))
    for rel, node in sorted(paths, key=lambda p: p[0]):
        if node.is_file():
            data = node.read_bytes()
            h.update(f"{rel}\0{len(data)}\0".encode())
            h.update(data)
    return h.hexdigest()


def spacy_version() -> str:
    """The installed spaCy's version, from its package metadata: importing spaCy costs ~0.7 s,
    paid on the critical path of builds whose extraction ran in other processes."""
    from importlib import metadata

    try:
        return metadata.version("spacy")
    except metadata.PackageNotFoundError:  # not installed as a distribution: ask spaCy
        import spacy

        return spacy.__version__


def model_version(model: str) -> str:
    """Version of an installed spaCy pipeline from its meta.json, without loading it (nor
    importing the package, which would import spaCy)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(model)
        if spec is not None and spec.origin:
            meta = Path(spec.origin).parent / "meta.json"
            return json.loads(meta.read_text(encoding="utf-8"))["version"]
    except (ImportError, ValueError, OSError, KeyError):
        pass
    # A path or a non-package pipeline: ask the pipeline itself.
    from newsfacts.build.annotate import load_pipeline

    return load_pipeline(model).meta["version"]


def text_libraries() -> str:
    """Versions of the libraries extraction reads text with besides spaCy: the language
    detector decides which passages are read, anyascii spells the actor ids."""
    from importlib import metadata

    out = []
    for name in ("lingua-language-detector", "anyascii"):
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}==none")
    return ";".join(out)


def fingerprint(model: str) -> dict[str, str]:
    """Everything besides the article that extraction output depends on."""
    from newsfacts.models import event_model_hash
    from newsfacts.vocab import vocab_hash

    return {"extractor_version": EXTRACTOR_VERSION, "code_sha256": code_hash(),
            "vocab_sha256": vocab_hash(), "event_model_sha256": event_model_hash(),
            "spacy_version": spacy_version(), "model": model,
            "model_version": model_version(model), "text_libraries": text_libraries()}


@dataclass
class CacheStats:
    """What a cached run did: articles extracted, served from cache, and bad entries met."""

    extracted: int = 0
    hits: int = 0
    invalid: int = 0
    write_errors: int = 0


class ExtractionCache:
    """Extraction results on disk under `root`, for one extractor fingerprint."""

    def __init__(self, root: Path, fingerprint: dict[str, str]) -> None:
        self.root = Path(root)
        self.fingerprint = fingerprint
        self._fp = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()

    @classmethod
    def for_model(cls, root: Path | None, model: str) -> ExtractionCache:
        """Cache under `root` (default `default_cache_dir()`) for the current extractor."""
        return cls(Path(root) if root else default_cache_dir(), fingerprint(model))

    def key(self, article: Article) -> str:
        """Entry key: the fingerprint plus all the article says to the extractor."""
        text = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        parts = (self._fp, article.article_id, article.published_date.isoformat(), text)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def _body(self, key: str) -> bytes | None:
        """The entry's verified JSON body, or None when missing or not trustworthy."""
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        header, _, body = data.partition(b"\n")
        return body if header == _header(key, body) else None

    def get(self, article: Article) -> Extraction | None:
        """The cached extraction, or None (missing, corrupt or unreadable entries alike)."""
        body = self._body(self.key(article))
        if body is None:
            return None
        try:
            return Extraction.from_json(json.loads(body))
        except (ValueError, TypeError):
            return None

    def put(self, article: Article, ex: Extraction) -> None:
        """Write an entry atomically: a temporary file in the same folder, then `os.replace`."""
        key = self.key(article)
        body = json.dumps(ex.to_json(), ensure_ascii=False, separators=(",", ":")).encode()
        header = _header(key, body)
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(header + b"\n" + body)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def wrap(self, extractor: Extractor, stats: CacheStats | None = None) -> Extractor:
        """An extractor that serves cached articles and sends only the rest to `extractor`,
        yielding in the original order (the rest stream through the engine as one run)."""
        stats = stats if stats is not None else CacheStats()

        def run(articles: list[Article], model: str) -> Iterator[Extraction]:
            keys = [self.key(a) for a in articles]
            cached = [self._body(k) is not None for k in keys]
            misses = [a for a, hit in zip(articles, cached, strict=True) if not hit]
            stats.invalid += sum(self.path(k).exists() for k, hit in zip(keys, cached,
                                                                          strict=True) if not hit)
            fresh = iter(extractor(misses, model) if misses else ())
            try:
                for article, hit in zip(articles, cached, strict=True):
                    ex = self.get(article) if hit else None
                    if ex is None:
                        # A miss, or an entry that changed since it was checked (another build,
                        # or the cache was deleted): extract it, never trust it.
                        ex = next(fresh) if not hit else _extract_one(article, model)
                        stats.extracted += 1
                        self._try_put(article, ex, stats)
                    else:
                        stats.hits += 1
                    yield ex
                if next(fresh, None) is not None:  # runs the engine to its end (pool shutdown)
                    raise RuntimeError("extractor yielded more results than articles")
            finally:
                close = getattr(fresh, "close", None)
                if close:
                    close()

        return run

    def _try_put(self, article: Article, ex: Extraction, stats: CacheStats) -> None:
        """Writing is best-effort: a full disk or a deleted cache must not fail the build."""
        try:
            self.put(article, ex)
        except OSError:
            stats.write_errors += 1


def _header(key: str, body: bytes) -> bytes:
    """An entry's first line: format, key and the SHA-256 of the body that follows."""
    return b" ".join((_MAGIC, str(FORMAT).encode(), key.encode(),
                      hashlib.sha256(body).hexdigest().encode()))


def _extract_one(article: Article, model: str) -> Extraction:
    from newsfacts.build.engine import LocalEngine

    return next(iter(LocalEngine(1)([article], model)))
