"""`passeur serve`: the server's own command, which passeur's command line finds through the entry
point group `passeur.commands` (setup.cfg), as it finds engines, so that neither front end
imports the other."""

from __future__ import annotations

import sys

import click

from passeur import api

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _limit(low: int):
    return click.IntRange(low, 10**9)


@click.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=5000, show_default=True, help="Port to listen on.")
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False),
              help="Glossary enforced for every client. Default: the newsroom glossary shipped with passeur.")
@click.option("--no-glossary", is_flag=True, help="Translate without any glossary.")
@click.option("--api-keys", "keys_path", type=click.Path(dir_okay=False),
              help="File of API keys, one a line: KEY [REQUESTS-PER-MINUTE [CHARACTERS-PER-TEXT]].")
@click.option("--require-api-key", is_flag=True, help="Refuse requests without a key of --api-keys.")
@click.option("--char-limit", type=_limit(-1), default=-1, show_default=True,
              help="Most characters in one text (-1: no limit).")
@click.option("--req-limit", type=_limit(-1), default=-1, show_default=True,
              help="Requests per minute per key or address (-1: no limit; a list of texts counts one per text).")
@click.option("--batch-limit", type=_limit(-1), default=-1, show_default=True,
              help="Most texts in one request (-1: no limit).")
@click.option("--max-body", type=click.IntRange(1024, 1 << 30), default=2 << 20, show_default=True,
              help="Largest request body, in bytes (files included).")
@click.option("--timeout", type=click.FloatRange(1, 86400), default=120, show_default=True,
              help="Seconds a request may wait for its translation before a 503.")
@click.option("--threads", type=click.IntRange(1, 256), default=16, show_default=True,
              help="Requests handled at once (their sentences are decoded together).")
@click.option("--no-files", is_flag=True, help="Turn /translate_file off.")
@click.option("--trusted-proxy", help="Address of a reverse proxy whose X-Forwarded-For names the client.")
@click.option("--engine", "engine_name", default=api.DEFAULT_ENGINE, show_default=True, help="Translation engine.")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False),
              help="Translation cache file [env PASSEUR_CACHE; default: see `passeur cache info`].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the translation cache.")
def serve(host, port, glossary_path, no_glossary, keys_path, require_api_key, char_limit, req_limit, batch_limit,
          max_body, timeout, threads, no_files, trusted_proxy, engine_name, cache_path, no_cache):
    """Serve LibreTranslate's HTTP API, and a page for people at /, the glossary enforced.

    LibreTranslate's clients (browser extensions, CMS and CAT-tool plugins, libretranslate-aio,
    libretranslatepy, deep-translator) work unchanged: POST /translate, /detect,
    /translate_file; GET /languages, /frontend/settings, /health, /spec. Sentences of
    concurrent requests are decoded together; models load once. Decoding settings come from
    the PASSEUR_* environment (see `passeur translate --help`). One log line per request on
    standard error; Ctrl-C stops it.

    \b
    Example:
        passeur serve
        passeur serve --host 0.0.0.0 --port 5000 --api-keys keys.txt --req-limit 60 --char-limit 5000
    """
    import logging

    from passeur.server import Listen, create_app, serve as run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    try:
        import waitress  # noqa: F401
        import werkzeug  # noqa: F401
    except ImportError as err:
        raise api.InputError(f"the server needs {err.name}: run `pip install 'passeur[serve]'` "
                             "(or `pip install --no-deps -r requirements.lock`)") from None
    from passeur.server.app import Settings

    if require_api_key and not keys_path:
        raise api.InputError("--require-api-key needs --api-keys FILE: the keys a client may give")
    from passeur.server.limits import read_keys

    settings = Settings(glossary=None if no_glossary else (glossary_path or api.DEFAULT_GLOSSARY),
                        api_keys=read_keys(keys_path) if keys_path else None, require_api_key=require_api_key,
                        char_limit=char_limit, req_limit=req_limit, batch_limit=batch_limit, max_body=max_body,
                        timeout=timeout, files=not no_files)
    engine = api.open_engine(engine_name, cache=False if no_cache else api.cache_path(cache_path))
    app = create_app(settings, api.shared_engine(engine))
    routes = ", ".join(f"{s}→{','.join(t)}" for s, t in app.pairs.items()) or "none"
    if not app.pairs:
        click.echo("passeur: warning: no translation model is installed: run `passeur models install fr:en en:ar "
                   "en:he` (or install .argosmodel files) and start the server again", err=True)
    glossary = app.glossary.signature() if app.glossary is not None else "none"

    def ready(running):
        click.echo(f"passeur serve: http://{host}:{running.port}/ (languages {routes}; glossary "
                   f"{glossary}; Ctrl-C to stop)", err=True)

    try:
        run(app, Listen(host=host, port=port, threads=threads, trusted_proxy=trusted_proxy), ready)
    except OSError as err:
        raise api.InputError(f"{host}:{port}: cannot listen there ({err.strerror or err}): "
                             "give another --port or --host") from None
    except KeyboardInterrupt:
        click.echo("passeur serve: stopped", err=True)
