"""The `newsbrief` command: each subcommand is a thin call into one library function."""
from __future__ import annotations

import json
import sys

import click

from .cli_settings import open_store
from .cli_settings import run_settings as _settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(ctx: click.Context) -> None:
    """newsbrief: who said what in the news, in Telegram or a terminal."""
    ctx.ensure_object(dict)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--if-empty", is_flag=True,
              help="Only when the store holds no article yet (how `make run` loads the bundled sample).")
def ingest(paths: tuple[str, ...], if_empty: bool) -> None:
    """Load article files or folders (recursively) into the store at NEWSBRIEF_DB_PATH."""
    from briefs.ingest import ingest_paths, iter_article_files

    store = open_store()
    if if_empty and store.db["articles"].count:
        click.echo("the store already holds articles: nothing loaded")
        return
    files = list(iter_article_files(paths))
    with click.progressbar(
        length=len(files), label="ingesting", file=sys.stderr, hidden=not sys.stderr.isatty()
    ) as bar:
        report = ingest_paths(
            store, files, on_error=lambda message: click.echo(f"error: {message}", err=True),
            on_file=lambda path: bar.update(1), on_busy=lambda message: click.echo(f"busy: {message}", err=True),
        )
    click.echo(report.summary())
    sys.exit(1 if report.failed or report.busy else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True)
def extract(paths: tuple[str, ...], output_format: str) -> None:
    """Show how each file is read (speakers, quotes, claims), without a store."""
    from briefs.ingest import iter_article_files, read_file
    from briefs.render import article_as_text

    failed = 0
    for path in iter_article_files(paths):
        result = read_file(path)
        for article in result.articles:
            if output_format == "jsonl":
                click.echo(json.dumps(article.to_json(), ensure_ascii=False))
            else:
                click.echo(article_as_text(article))
        for message in result.errors:
            click.echo(f"error: {message}", err=True)
        failed += result.failed
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--restart", is_flag=True, help="Start from the first article, not where an interrupted run stopped.")
def reextract(restart: bool) -> None:
    """Re-read the stored articles with the current extractor, in place (same ids; nothing is sent again)."""
    from pathlib import Path

    from briefs.reextract import article_ids, reextract as run_reextract

    db_path = _settings().db_path
    store = open_store()
    progress = Path(f"{db_path}.reextract")  # the last article done: an interrupted run resumes after it
    after = 0
    if progress.is_file() and not restart:
        after = int(progress.read_text(encoding="utf-8").strip() or 0)
        click.echo(f"resuming after article {after} (--restart to start over)", err=True)
    ids = article_ids(store, after)
    with click.progressbar(length=len(ids), label="re-extracting", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as bar:
        def done(article_id: int) -> None:
            progress.write_text(str(article_id), encoding="utf-8")
            bar.update(1)

        report = run_reextract(store, ids, on_article=done)
    progress.unlink(missing_ok=True)
    click.echo(report.summary())


def _console(settings):
    from .console import Console, console_context

    return Console(open_store(settings), console_context(settings))


@main.command()
@click.argument("text", nargs=-1, required=True)
def ask(text: tuple[str, ...]) -> None:
    """Print what the bot would answer to TEXT, e.g. newsbrief ask "/who Doctorow"."""
    from .console import render

    line = " ".join(text).strip()
    if not line:
        raise click.UsageError('nothing to ask: give a command, e.g. newsbrief ask "/who Doctorow"')
    console = _console(_settings())
    click.echo(render(console.ask(line)))


@main.command()
def chat() -> None:
    """Talk to the bot in this terminal (console mode): the same answers, no Telegram."""
    _console(_settings()).loop()


@main.command()
def run() -> None:
    """Serve Telegram with long polling (console mode on a terminal when no token is set)."""
    settings = _settings()
    if settings.telegram_token is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            click.echo("No NEWSBRIEF_TELEGRAM_TOKEN is set, so there is no Telegram to serve: "
                       "starting the console instead.", err=True)
            _console(settings).loop()
            return
        click.echo("error: no bot token. Set NEWSBRIEF_TELEGRAM_TOKEN (environment or .env) to serve Telegram, "
                   "or use `newsbrief chat` on a terminal.", err=True)
        sys.exit(2)
    from .app import StartError, run_polling

    try:
        run_polling(settings)
    except StartError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@main.command()
@click.option("--articles", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Generated articles for the ingest benchmark.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object on the last line.")
@click.option("--sections", default=None, metavar="NAME,...", help="Only these sections (default: all).")
@click.option("--seed", type=int, default=0, show_default=True, help="Corpus seed.")
@click.option("--peer-python", default=None, metavar="PATH",
              help="Python with textacy for the peer pass ('' for none; default: found automatically).")
@click.option("--store-articles", type=click.IntRange(min=10), default=100_000, show_default=True,
              help="Articles in the store the replies, digests and the bot process are measured on (cached).")
@click.option("--subscribers", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Subscriptions for the digest composition and the bot's start-up.")
@click.option("--fanout-digests", type=click.IntRange(min=2), default=1000, show_default=True,
              help="Digests sent in the fan-out measurements.")
@click.option("--reply-runs", type=click.IntRange(min=1), default=200, show_default=True,
              help="Samples per reply command (and per floor).")
@click.option("--api-latency-ms", type=click.FloatRange(min=0), default=100, show_default=True,
              help="Added to every Bot API answer in the process section, as a real round trip.")
@click.option("--skip-fanout", is_flag=True, help="Skip the digest fan-outs (about a minute each at full size).")
@click.option("--cache-dir", default=None, metavar="DIR",
              help="Where built stores are kept between runs (default: $NEWSBRIEF_BENCH_CACHE or ~/.cache/newsbrief/bench).")
def bench(articles: int, as_json: bool, sections: str | None, seed: int, peer_python: str | None,
          **options) -> None:
    """The performance report: ingest against a peer, replies against their floors, digests, start-up, memory."""
    import bot.bench  # noqa: F401 - registers the bot's sections (replies, fanout, digest)
    import bot.bench_process  # noqa: F401 - and the real process's
    import bot.bench_follow  # noqa: F401 - and the follow alerts (issue 14)
    from briefs.bench import SECTIONS, format_report, run_bench

    chosen = [name.strip() for name in sections.split(",") if name.strip()] if sections else None
    unknown = [name for name in chosen or [] if name not in SECTIONS]
    if unknown:
        raise click.UsageError(f"unknown section(s) {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    figures = run_bench(articles, sections=chosen, seed=seed, peer_python=peer_python,
                        log=lambda message: click.echo(message, err=True), options=options)
    click.echo(format_report(figures))
    if as_json:
        click.echo(json.dumps(figures))


from .people_cli import people  # noqa: E402 (the subcommand group lives in its own file)

main.add_command(people)
