"""Command line: a thin typer layer over the library's functions (needs `newsfacts[build]`)."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

try:
    import typer
    from rich.console import Console
    from rich.table import Table
except ImportError:  # pragma: no cover - depends on the install
    sys.exit("the newsfacts command needs the build extra: pip install 'newsfacts[build]'")

from newsfacts.build import DEFAULT_MODEL
from newsfacts.build.sources import DEFAULT_MAX_CHARS, MAX_MAX_CHARS
from newsfacts.errors import NewsfactsError
from newsfacts.project import require_project, set_project

console = Console(stderr=True, soft_wrap=True)  # an error stays one line at any width
_EXIT_INVALID = 1
_DEBUG = {"on": False}


def _error_line(exc: NewsfactsError) -> None:
    console.print(f"[red]newsfacts: error:[/red] {exc.one_line()}", highlight=False,
                  soft_wrap=True)


def _one_line_errors(fn: Callable) -> Callable:
    """A `NewsfactsError` ends the command with one line on stderr and exit code 1 (with
    `--debug`, the traceback instead)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NewsfactsError as exc:
            if _DEBUG["on"]:
                raise
            _error_line(exc)
            raise typer.Exit(exc.exit_code) from None

    return run


class _Typer(typer.Typer):
    """typer.Typer whose commands print a NewsfactsError as one line."""

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)
        return lambda fn: register(_one_line_errors(fn))

    def callback(self, *args, **kwargs):
        register = super().callback(*args, **kwargs)
        return lambda fn: register(_one_line_errors(fn))


app = _Typer(help="Build, check and publish the newsfacts dataset.", no_args_is_help=True,
             add_completion=False, pretty_exceptions_enable=False)


@app.callback()
def _options(
    project: Annotated[Path | None, typer.Option(
        "--project", help="The project (folder with release.toml) to act on. Default: the "
                          "nearest one from the working directory upwards.")] = None,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the traceback of an error instead of one line.")] = False,
) -> None:
    """Build, check and publish the newsfacts dataset."""
    _DEBUG["on"] = debug
    if project is not None:
        set_project(project)


def default_out_or_none() -> Path | None:
    """The project's `dataset/data/`, resolved, or None outside a project."""
    from newsfacts.project import project_path

    path = project_path("dataset", "data")
    return path.resolve() if path else None


def _print_failures(failures, limit: int = 200) -> None:
    for f in failures[:limit]:
        console.print(f"  {f}", markup=False, highlight=False)
    if len(failures) > limit:
        console.print(f"  ... and {len(failures) - limit} more")


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date YYYY-MM-DD, found {value!r}") from None


def _print_summary(summary, strict: bool) -> None:
    """Per source `read = accepted + rejected`, refusals by reason, and the refusals."""
    from collections import Counter

    table = Table(title=f"newsfacts build -> {summary.out}")
    for col in ("source", "read", "accepted", "rejected", "read = accepted + rejected"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for name in sorted(summary.read):
        r, a, x = summary.read[name], summary.accepted[name], summary.rejected[name]
        table.add_row(name, str(r), str(a), str(x),
                      f"{r} = {a} + {x}" if r == a + x else f"[red]{r} != {a} + {x}[/red]")
    console.print(table)
    if not summary.rejects:
        return
    reasons = Counter(r.reason_code for r in summary.rejects)
    console.print("refused by reason: " + ", ".join(f"{k} {n}" for k, n in sorted(reasons.items())))
    shown = summary.rejects if strict else summary.rejects[:20]
    for r in sorted(shown, key=lambda r: (r.source, r.file, r.record)):
        console.print(f"  {r}", markup=False, highlight=False, soft_wrap=True)
    if len(shown) < len(summary.rejects):
        console.print(f"  ... and {len(summary.rejects) - len(shown)} more")


@app.command()
def build(
    source: Annotated[list[Path] | None, typer.Option(
        help="Source folder (with source.json); repeatable. Default: every folder in dataset/raw/."
    )] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder. Default: dataset/data/.")] = None,
    model: Annotated[str, typer.Option(help="spaCy pipeline package to load.")] = DEFAULT_MODEL,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Fail (exit 1, outputs untouched) if any input record is refused.")
    ] = False,
    reference_date: Annotated[str | None, typer.Option(
        help="Articles dated after this YYYY-MM-DD are refused as future-date. Default: the "
             "date of SOURCE_DATE_EPOCH if set, else today (in UTC+14).")] = None,
    max_chars: Annotated[int, typer.Option(
        min=1, max=MAX_MAX_CHARS,
        help="Refuse articles whose text has more characters (too-large).")] = DEFAULT_MAX_CHARS,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Extraction processes (local default 1; Dask LocalCluster "
        "default: one per CPU). Output is identical for any value.")] = None,
    engine: Annotated[str, typer.Option(
        help="Where extraction runs: local (this machine) or dask (Dask distributed).")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address (tcp://host:8786); default: a LocalCluster.")] = None,
    cache_dir: Annotated[Path | None, typer.Option(
        help="Extraction cache. Default: $NEWSFACTS_CACHE or dataset/.newsfacts-cache/.")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Extract every article; neither read nor write the cache.")] = False,
) -> None:
    """Build the five tables from raw articles, validate them, then replace the outputs.

    Every input record ends up in `articles` or in `<out>/rejects.csv` with a reason code.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from newsfacts.build.cache import ExtractionCache
    from newsfacts.build.engine import make_engine
    from newsfacts.build.pipeline import BuildError, StrictError, default_out
    from newsfacts.build.pipeline import build as run_build
    from newsfacts.build.sources import SourceError

    ref = _parse_date(reference_date)
    try:
        extractor = make_engine(engine, jobs=jobs, scheduler=scheduler)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    cache = None if no_cache else ExtractionCache.for_model(cache_dir, model)
    target = (out or default_out()).resolve()
    # The project's root datapackage.json describes its dataset/data/ (and nothing else).
    root = None
    if out is None or target == default_out_or_none():
        root = require_project() / "datapackage.json"
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("extracting", total=None)
        try:
            summary = run_build(source, target, model=model, root_descriptor=root,
                                progress=lambda n: bar.advance(task, n), reference_date=ref,
                                max_chars=max_chars, strict=strict, extractor=extractor,
                                cache=cache)
        except (BuildError, SourceError) as exc:
            bar.stop()
            partial = getattr(exc, "summary", None)  # a BuildError's summary so far
            if partial is not None:
                _print_summary(partial, strict=isinstance(exc, StrictError))
            console.print(f"[red]build failed:[/red] {exc}", highlight=False)
            _print_failures(getattr(exc, "failures", []))
            raise typer.Exit(_EXIT_INVALID) from None
    _print_summary(summary, strict=False)
    console.print("rows: " + ", ".join(f"{t} {n}" for t, n in summary.rows.items())
                  + f"; {summary.seconds:.1f} s")
    console.print(f"extracted {summary.extracted} articles, {summary.cache_hits} from cache"
                  + (f", {summary.cache_invalid} bad cache entries rewritten"
                     if summary.cache_invalid else ""))
    if summary.rejects:
        console.print(f"{len(summary.rejects)} records refused: see {summary.out / 'rejects.csv'}")


@app.command()
def validate(
    directory: Annotated[Path | None, typer.Argument(
        help="Built folder. Default: dataset/data/.")] = None,
) -> None:
    """Validate a built folder with pandera and Frictionless; list every failed check."""
    from newsfacts.build.validate import validate_dir

    failures = validate_dir(directory)
    if failures:
        console.print(f"[red]{len(failures)} failed checks[/red]")
        _print_failures(failures)
        raise typer.Exit(_EXIT_INVALID)
    console.print("[green]valid[/green]: pandera and Frictionless found no failures")


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option(exists=True, file_okay=False,
                                       help="Folder of gold JSON files (gold/FORMAT.md).")],
    data: Annotated[Path | None, typer.Option(help="Built folder. Default: dataset/data/.")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the report here.")] = None,
    by_article: Annotated[bool, typer.Option("--by-article", help="Per-article rows.")] = False,
) -> None:
    """Score a build against gold annotations: P/R/F1 per table, attribute accuracies."""
    from newsfacts.evaluation.evaluate import EvaluationError
    from newsfacts.evaluation.evaluate import evaluate as run_evaluate
    from newsfacts.evaluation.report import render, write_report
    from newsfacts.load import data_dir

    try:
        report = run_evaluate(gold, data or data_dir(), by_article=by_article)
    except EvaluationError as exc:
        console.print(f"[red]evaluate failed:[/red] {exc}")
        raise typer.Exit(_EXIT_INVALID) from None
    out = Console()
    for table in render(report):
        out.print(table)
    if json_file is not None:
        write_report(report, json_file)


@app.command()
def inspect(
    article_id: Annotated[str, typer.Argument(help="16-hex article id.")],
    data: Annotated[Path | None, typer.Option(help="Built folder. Default: dataset/data/.")] = None,
    html_file: Annotated[Path | None, typer.Option("--html", help="Also write HTML here.")] = None,
) -> None:
    """Show an article with its mentions, events and figures highlighted."""
    from newsfacts.evaluation.view import UnknownArticle, article_rows, render_html, render_terminal

    try:
        rows = article_rows(article_id, data)
    except UnknownArticle as exc:
        console.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(_EXIT_INVALID) from None
    render_terminal(rows, Console())
    if html_file is not None:
        html_file.write_text(render_html(rows), encoding="utf-8")
        console.print(f"wrote {html_file}")


@app.command()
def quality(
    shared: Annotated[Path, typer.Option(help="Folder holding gold/ and corpus/.")
                      ] = Path("../shared"),
    record: Annotated[bool, typer.Option(help="Write dataset/quality.json.")] = False,
) -> None:
    """Measure the headline quality figures on every gold set; print the README table."""
    from newsfacts.build.write import write_json
    from newsfacts.evaluation.quality import RECORDED, markdown, measure

    target = require_project("--record writes dataset/quality.json") / RECORDED if record \
        else None
    result = measure(shared)
    Console().print(markdown(result), markup=False, highlight=False)
    if target is not None:
        write_json(target, result)
        console.print(f"recorded in {target}")


@app.command()
def train(
    shared: Annotated[Path, typer.Option(help="Folder holding gold/ and corpus/.")
                      ] = Path("../shared"),
    out: Annotated[Path | None, typer.Option(help="Model file. Default: the package's.")
                   ] = None,
    json_file: Annotated[Path | None, typer.Option(
        "--json", help="Write the cross-validated report here.")] = None,
) -> None:
    """Cross-validate the event model on every annotated article, then fit it on all of them
    (gold/dev + dataset/annotations/*/gold) and write it. Same data and code: same bytes."""
    from newsfacts.build.extract.learned import model_path
    from newsfacts.build.write import write_json
    from newsfacts.evaluation.train import train as run_train
    from newsfacts.project import require_project

    target = out or model_path()
    report = run_train(shared, require_project("the annotations are the project's"), target)
    ev, conf = report["events"], report["confidence"]
    console.print(f"{report['n_articles']} articles, {report['folds']}-fold cross-validated: "
                  f"events type+trigger F1 {ev['type_trigger']['f1']:.3f}, with arguments "
                  f"{ev['arguments']['f1']:.3f}, date {ev['date']['accuracy']:.3f}; "
                  f"confidence ECE {conf['ece']:.3f}, AUROC {conf['auroc']}")
    console.print(f"wrote {target}")
    if json_file is not None:
        write_json(json_file, report)


@app.command()
def release(
    version: Annotated[str | None, typer.Option(
        "--version", help="Version to release, X.Y.Z.")] = None,
    bump: Annotated[str | None, typer.Option(
        help="Or bump the last release: major, minor or patch.")] = None,
    allow_unlicensed: Annotated[list[str] | None, typer.Option(
        "--allow-unlicensed", metavar="SOURCE",
        help="Include this source although its licence is NOASSERTION; repeatable.")] = None,
    repo: Annotated[Path | None, typer.Option(
        help="Repository to release. Default: the project (see --project).")] = None,
) -> None:
    """Cut a release from release.toml: build, validate, diff, CHANGELOG, dist/ artifacts, tag."""
    from newsfacts.release.cut import ReleaseRefused, cut_release

    root = repo.resolve() if repo else require_project("a release needs its release.toml")
    try:
        result = cut_release(root, version, bump,
                             allow_unlicensed=allow_unlicensed or (),
                             log=lambda m: console.print(f"[dim]{m}[/dim]"))
    except ReleaseRefused as exc:
        console.print(f"[red]release refused ({exc.reason}):[/red] {exc}", highlight=False)
        _print_failures(exc.details)
        raise typer.Exit(_EXIT_INVALID) from None
    Console().print(result.changelog_entry, markup=False, highlight=False, soft_wrap=True)
    console.print(f"[green]released {result.version}[/green]: commit {result.commit[:12]}, "
                  f"tag {result.tag}")
    for path in [*result.artifacts, result.hf_dir]:
        console.print(f"  {path}", markup=False)
    console.print(f"next: git push origin {result.tag}; newsfacts publish pypi; "
                  "newsfacts publish hf --repo-id ORG/NAME")


publish_app = _Typer(help="Upload the release in dist/ (dry runs print the plan).",
                          no_args_is_help=True)
app.add_typer(publish_app, name="publish")


def _release_version(version: str | None) -> str:
    """The version to publish: given, else pyproject.toml's (what the last release wrote)."""
    from newsfacts.release.cut import pyproject_version

    return version or pyproject_version(require_project("publishing needs the version"))


def _release_dist() -> Path:
    """The `dist` folder named in release.toml (where `newsfacts release` wrote)."""
    from newsfacts.release.cut import ReleaseConfig

    return ReleaseConfig.load(require_project("publishing reads release.toml's dist")).dist


@publish_app.command("pypi")
def publish_pypi(
    repository_url: Annotated[str | None, typer.Option(
        help="Upload URL. Default: PyPI (https://upload.pypi.org/legacy/).")] = None,
    index_url: Annotated[str | None, typer.Option(
        help="Simple index of that repository, to skip files already there. "
             "Default: derived from the upload URL.")] = None,
    dist: Annotated[Path | None, typer.Option(
        help="Folder with the release's sdist and wheel. Default: release.toml's dist.")] = None,
    version: Annotated[str | None, typer.Option("--version",
                                                help="Default: pyproject.toml's version.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the plan; upload nothing.")] = False,
) -> None:
    """Upload the sdist and wheel; files already on the index are skipped (safe to re-run)."""
    from newsfacts.publish.pypi import PublishError
    from newsfacts.publish.pypi import publish_pypi as run_publish

    try:
        result = run_publish(dist or _release_dist(), _release_version(version),
                             repository_url=repository_url, index_url=index_url,
                             dry_run=dry_run)
    except PublishError as exc:
        console.print(f"[red]publish failed:[/red] {exc}", highlight=False)
        raise typer.Exit(_EXIT_INVALID) from None
    Console().print(result.summary(), markup=False, highlight=False)


@publish_app.command("hf")
def publish_hf(
    repo_id: Annotated[str, typer.Option(help="Dataset repository on the Hub, ORG/NAME.")],
    folder: Annotated[Path | None, typer.Option(
        help="The release's Hugging Face folder. Default: hf/ in release.toml's dist.")] = None,
    version: Annotated[str | None, typer.Option("--version",
                                                help="Default: pyproject.toml's version.")] = None,
    endpoint: Annotated[str | None, typer.Option(help="Hub URL. Default: huggingface.co.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the plan; upload nothing.")] = False,
) -> None:
    """Commit the Hugging Face folder to the dataset repo and tag it vX.Y.Z (token: HF_TOKEN).

    The card and croissant.json are rewritten to name REPO_ID, so a release made for one
    repository can be published to any other (yours, a mirror) without a new version.
    """
    import tempfile

    from newsfacts.publish.hf import PublishError
    from newsfacts.publish.hf import publish_hf as run_publish
    from newsfacts.release.hf import made_for, release_folder_problems, retarget

    version = _release_version(version)
    folder = folder or _release_dist() / "hf"
    problems = release_folder_problems(folder, version)
    if problems:
        console.print("[red]publish refused:[/red] " + "; ".join(problems), highlight=False)
        raise typer.Exit(_EXIT_INVALID)
    try:
        with tempfile.TemporaryDirectory(prefix="newsfacts-hf-") as tmp:
            if made_for(folder) != repo_id:
                console.print(f"card and croissant.json rewritten for {repo_id} (the release "
                              f"was made for {made_for(folder)})", highlight=False)
            staged = retarget(folder, repo_id, Path(tmp) / "hf")
            result = run_publish(staged, repo_id, version, endpoint=endpoint, dry_run=dry_run)
    except PublishError as exc:
        console.print(f"[red]publish failed:[/red] {exc}", highlight=False)
        raise typer.Exit(_EXIT_INVALID) from None
    if result.status != "dry-run":  # publish_hf prints a dry run's plan itself
        Console().print(result.summary(), markup=False, highlight=False)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except NewsfactsError as exc:  # raised outside a command (e.g. while parsing options)
        if _DEBUG["on"]:
            raise
        _error_line(exc)
        sys.exit(exc.exit_code)
