"""The WSGI application: LibreTranslate 1.9.6's API, the page for people, and passeur's extras.

Every route, field, status code and error message follows LibreTranslate's own
`libretranslate/app.py` (1.9.6), so that its clients work unchanged; werkzeug parses requests
as Flask does there (JSON, urlencoded and multipart forms, the query string). Where
LibreTranslate answers a bad input with a 500 and a traceback (a JSON `alternatives` that is not
a number, `q` a number, an unknown download), passeur answers 4xx with a JSON error. Two
additions no LibreTranslate client sends or sees unless it asks: `q` given several times in a
form is a list (LibreTranslate keeps the first), and `"passeur": true` adds the term report and
the signature under a key of their own.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from dataclasses import dataclass

from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from passeur import api
from passeur.server.files import FileStore
from passeur.server.limits import KeyLimits, RateLimiter
from passeur.server.page import PAGE, SCRIPT, STYLE
from passeur.server.spec import spec

log = logging.getLogger("passeur.server")

# LibreTranslate counts a text of emoji and spaces as untranslatable: it comes back as it is.
_EMOJI = frozenset([ord(" ")] + [c for low, high in ((0x1F600, 0x1F64F), (0x1F300, 0x1F5FF), (0x1F680, 0x1F6FF),
                                                     (0x2600, 0x26FF), (0x2700, 0x27BF), (0xFE00, 0xFE0F),
                                                     (0x1F900, 0x1F9FF), (0x1F1E6, 0x1F1FF), (0x20D0, 0x20FF))
                                 for c in range(low, high)])
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Expose-Headers": "Authorization",
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Max-Age": str(60 * 60 * 24 * 20),
}
# The page's scripts and styles come from this server only; nothing it shows can run.
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
                                           "base-uri 'none'; frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


@dataclass(frozen=True)
class Settings:
    """What `passeur serve` is given. Limits of -1 are off, as in LibreTranslate."""

    glossary: str | None = api.DEFAULT_GLOSSARY  # a file, the shipped glossary, or None
    api_keys: dict | None = None  # key -> KeyLimits (limits.read_keys); None: no keys
    require_api_key: bool = False
    char_limit: int = -1  # characters per text
    req_limit: int = -1  # requests per minute per key or address
    batch_limit: int = -1  # texts per request
    alternatives_limit: int = -1
    max_body: int = 2 << 20  # bytes of a request body
    timeout: float = 120.0  # seconds a request may wait for its translation
    frontend_timeout: int = 500  # what /frontend/settings tells a page (LibreTranslate's debounce, ms)
    files: bool = True  # /translate_file


class ApiError(Exception):
    """An answer other than 200: LibreTranslate's status and message."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _json(data, status: int = 200, headers: dict | None = None) -> Response:
    # As Flask's jsonify in LibreTranslate: sorted keys, compact, UTF-8, a final newline.
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return Response(body, status=status, mimetype="application/json", headers=headers)


def missing(name: str) -> ApiError:
    return ApiError(400, f"Invalid request: missing {name} parameter")


def require(**values) -> None:
    """LibreTranslate's check of required fields, in its order: the first one empty is named."""
    for name, value in values.items():
        if not value:
            raise missing(name)


def _printable(text: str) -> str:
    """A path for the log: a line break or control character in it (%0A) written as an escape."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _lower(value):
    """LibreTranslate's iso2model: strings lowercased, anything else as it is."""
    return value.lower() if isinstance(value, str) else value


class App:
    """passeur serve's WSGI application; `engine` is shared by every request (a SharedEngine)."""

    def __init__(self, settings: Settings, engine):
        self.settings = settings
        self.engine = engine
        self.glossary = api.open_glossary(settings.glossary)
        self.pairs = api.language_pairs(engine)
        self.sources = sorted(self.pairs)
        self.codes = sorted({*self.pairs, *(t for targets in self.pairs.values() for t in targets)})
        self.limiter = RateLimiter()
        self.store = FileStore() if settings.files else None
        self.formats = api.document_formats()
        self.requests = 0
        self._count = threading.Lock()
        rules = [
            ("/", "page", ["GET"]), ("/page.js", "script", ["GET"]), ("/page.css", "style", ["GET"]),
            ("/languages", "languages", ["GET"]), ("/health", "health", ["GET"]), ("/spec", "spec", ["GET"]),
            ("/frontend/settings", "frontend_settings", ["GET"]), ("/translate", "translate", ["POST"]),
            ("/translate_file", "translate_file", ["POST"]), ("/download_file/<path:name>", "download_file", ["GET"]),
            ("/detect", "detect", ["POST"]), ("/suggest", "suggest", ["POST"]), ("/passeur/brief", "brief", ["POST"]),
        ]
        self.urls = Map([Rule(path, endpoint=name, methods=methods) for path, name, methods in rules],
                        strict_slashes=False)
        # Routes a client is counted on (LibreTranslate exempts its pages, languages, health and settings).
        self.limited = {"translate", "translate_file", "download_file", "detect", "suggest", "brief"}

    # --- WSGI --------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        started = time.monotonic()
        request = Request(environ)
        request.max_content_length = self.settings.max_body
        request.max_form_memory_size = self.settings.max_body
        request.max_form_parts = 1000
        info: dict = {}
        try:
            response = self.dispatch(request, info)
        except ApiError as err:
            response = _json({"error": err.message}, err.status, err.headers)
        except RequestEntityTooLarge:
            response = _json({"error": f"Invalid request: the request is over {self.settings.max_body:,} bytes"}, 413)
        except HTTPException as err:
            response = _json({"error": err.description or err.name}, err.code or 400)
        except Exception:  # a defect of passeur's: said in the log, never shown to the client
            log.error("passeur: error: %s", traceback.format_exc().replace("\n", " | "))
            response = _json({"error": "Internal error: the server could not complete the request; "
                                       "its log says why"}, 500)
        for name, value in CORS.items():
            response.headers[name] = value
        self._log(request, response, started, info)
        return response(environ, start_response)

    def _log(self, request: Request, response: Response, started: float, info: dict) -> None:
        """One line per request: who, what, the answer, how long; never the text itself."""
        with self._count:
            self.requests += 1
        who = request.remote_addr or "-"
        key = info.get("key")
        extra = " ".join(f"{k}={v}" for k, v in info.items() if k != "key")
        log.info('%s %s "%s %s" %s %s %.3fs%s', who, f"key={key[:6]}…" if key else "key=-", request.method,
                 _printable(request.path[:200]), response.status_code, response.calculate_content_length() or "-",
                 time.monotonic() - started, f" {extra}" if extra else "")

    def dispatch(self, request: Request, info: dict) -> Response:
        if request.method == "OPTIONS":  # a CORS preflight: the headers say it all
            return Response(status=200)
        try:
            endpoint, values = self.urls.bind_to_environ(request.environ).match()
        except HTTPException as err:  # 404, 405: werkzeug's words, as JSON
            allowed = {k: v for k, v in err.get_headers() if k == "Allow"}
            raise ApiError(err.code or 400, err.description or err.name, allowed) from None
        params = None  # the routes that read no field never parse a body
        if endpoint in self.limited:
            params = Params(request)
            self.access(request, params, endpoint, info)
        return getattr(self, endpoint)(request, params, info, **values)

    # --- keys and limits ---------------------------------------------------------------------

    def key_limits(self, params: "Params") -> KeyLimits | None:
        key = params.get("api_key")
        if self.settings.api_keys is None or not isinstance(key, str) or not key:
            return None
        return self.settings.api_keys.get(key)

    def access(self, request: Request, params: "Params", endpoint: str, info: dict) -> None:
        """LibreTranslate's access check, then the rate limit (429 "Slowdown: ...")."""
        settings = self.settings
        key = params.get("api_key")
        key = key if isinstance(key, str) and key else None
        limits = None
        if settings.api_keys is not None and endpoint != "download_file":
            limits = settings.api_keys.get(key) if key else None
            if key and limits is None:
                raise ApiError(403, "Invalid API key")
            if settings.require_api_key and limits is None:
                raise ApiError(400, "Please contact the server operator to get an API key")
            if limits is not None:
                info["key"] = key
        limit = limits.requests if limits is not None and limits.requests is not None else settings.req_limit
        if limit is not None and limit > 0:
            client = f"key:{key}" if limits is not None else f"ip:{request.remote_addr or '-'}"
            if not self.limiter.allow(client, limit, params.cost()):
                raise ApiError(429, f"Slowdown: {limit} per 1 minute")

    def char_limit(self, params: "Params") -> int:
        limits = self.key_limits(params)
        return limits.chars if limits is not None and limits.chars is not None else self.settings.char_limit

    # --- LibreTranslate's routes -------------------------------------------------------------

    def languages(self, request, params, info):
        return _json([{"code": code, "name": api.language(code).name, "targets": self.pairs.get(code, [])}
                      for code in self.codes])

    def health(self, request, params, info):
        return _json({"status": "ok"})

    def spec(self, request, params, info):
        return _json(spec(api.VERSION))

    def frontend_settings(self, request, params, info):
        settings = self.settings
        source = "fr" if "fr" in self.pairs else (self.sources[0] if self.sources else "auto")
        target = next(iter(self.pairs.get(source, [])), source)
        return _json({
            "charLimit": settings.char_limit,
            "frontendTimeout": settings.frontend_timeout,
            "apiKeys": settings.api_keys is not None,
            "keyRequired": bool(settings.api_keys is not None and settings.require_api_key),
            "suggestions": False,
            "filesTranslation": settings.files,
            "supportedFilesFormat": self.formats if settings.files else [],
            "language": {"source": {"code": source, "name": api.language(source).name if source != "auto" else "Auto Detect"},
                         "target": {"code": target, "name": api.language(target).name}},
        })

    def suggest(self, request, params, info):
        raise ApiError(403, "Suggestions are disabled on this server.")

    def detect(self, request, params, info):
        q = params.get("q")
        if not q:
            raise missing("q")
        texts = q if isinstance(q, list) else [q]
        if not all(isinstance(t, str) for t in texts):
            raise ApiError(400, "Invalid request: q parameter must be a string or a list of strings")
        ranked = api.detect_language(" ".join(texts), self.sources)
        found = [{"confidence": round(100 * score, 1), "language": code} for code, score in ranked if score > 0][:3]
        return _json(found or [{"confidence": 0.0, "language": "en"}])

    def translate(self, request, params, info):
        settings = self.settings
        q = params.get("q")
        source, target = _lower(params.get("source")), _lower(params.get("target"))
        fmt = params.get("format")
        require(q=q, source=source, target=target)
        alternatives = params.number("alternatives")
        if settings.alternatives_limit != -1 and alternatives > settings.alternatives_limit:
            raise ApiError(400, f"Invalid request: alternatives parameter must be <= {settings.alternatives_limit}")
        batch = isinstance(q, list)
        texts = q if batch else [q]
        if not all(isinstance(t, str) for t in texts):
            raise ApiError(400, "Invalid request: q parameter must be a string or a list of strings")
        if not params.json:  # line endings as LibreTranslate counts them (RFC 2046)
            texts = ["\n".join(t.splitlines()) for t in texts]
        if batch and settings.batch_limit != -1 and len(texts) > settings.batch_limit:
            raise ApiError(400, f"Invalid request: request ({len(texts)}) exceeds text limit ({settings.batch_limit})")
        limit = self.char_limit(params)
        if limit != -1:
            for text in texts:
                if len(text) > limit:
                    raise ApiError(400, f"Invalid request: request ({len(text)}) exceeds text limit ({limit})")
        info.update(texts=len(texts), chars=sum(map(len, texts)))
        translatable = any(any(ord(ch) not in _EMOJI for ch in text) for text in texts)
        detected = None
        if not translatable:
            detected, source_code = {"confidence": 0.0, "language": "en"}, "en"
        elif source == "auto":
            ranked = api.detect_language(" ".join(texts), self.sources)
            source_code = ranked[0][0] if ranked else "auto"
            detected = {"confidence": round(100 * ranked[0][1], 1) if ranked else 0.0, "language": source_code}
        else:
            source_code = source
        self.check_languages(source_code, target)
        if fmt in (None, ""):
            fmt = "text"
        if fmt not in ("text", "html"):
            raise ApiError(400, f"{fmt} format is not supported")
        self.check_route(source_code, target)
        if translatable:
            done = self.run(lambda: api.translate_texts(texts, source_code, target, self.engine, self.glossary,
                                                        html=fmt == "html"))
        else:
            done = [api.TextTranslation(text) for text in texts]
        result: dict = {"translatedText": [d.text for d in done] if batch else done[0].text}
        if source == "auto":
            result["detectedLanguage"] = [detected] * len(texts) if batch else detected
        if alternatives > 0:
            result["alternatives"] = [[] for _ in texts] if batch else []
        if params.flag("passeur"):
            reports = [_report(d) for d in done]
            result["passeur"] = reports if batch else reports[0]
        return _json(result)

    def check_languages(self, source, target) -> None:
        """LibreTranslate's message for a language no model knows."""
        for code in (source, target):
            if code not in self.codes:
                raise ApiError(400, f"{code} is not supported")

    def check_route(self, source, target) -> None:
        """LibreTranslate's message for two known languages with no route between them."""
        if target != source and target not in self.pairs.get(source, []):
            s, t = api.language(source), api.language(target)
            raise ApiError(400, f"{t.name} ({t.code}) is not available as a target language from {s.name} ({s.code})")

    def run(self, work):
        """A translation, within the request's time limit; passeur's errors as LibreTranslate's answers."""
        try:
            with self.engine.deadline(self.settings.timeout):
                return work()
        except api.Overloaded as err:
            raise ApiError(503, f"Server busy: {err}", {"Retry-After": "10"}) from None
        except api.InputError as err:
            raise ApiError(400, f"Invalid request: {err}") from None
        except api.PasseurError as err:
            raise ApiError(500, f"Cannot translate text: {err}") from None

    def translate_file(self, request, params, info):
        if self.store is None:
            raise ApiError(403, "Files translation are disabled on this server.")
        source, target = _lower(params.get("source")), _lower(params.get("target"))
        upload = request.files.get("file")
        require(file=upload, source=source, target=target)
        name = upload.filename or ""
        suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
        if suffix not in self.formats:
            raise ApiError(400, "Invalid request: file format not supported")
        self.check_languages(self.sources[0] if source == "auto" and self.sources else source, target)
        data = upload.read(self.settings.max_body + 1)
        limit = self.char_limit(params)
        if limit > 0 and len(data) > limit * 4:
            raise ApiError(400, f"Invalid request: request ({len(data)}) exceeds text limit ({limit})")
        info.update(file=suffix, bytes=len(data))
        if source == "auto":
            text = data[:20_000].decode("utf-8", "ignore")
            source = (api.detect_language(text, self.sources) or [("auto", 0.0)])[0][0]
        self.check_languages(source, target)
        self.check_route(source, target)
        translated, _ = self.run(lambda: api.translate_document(data, name, source, target, self.engine, self.glossary))
        stored = self.store.put(name, translated)
        return _json({"translatedFileUrl": f"{request.host_url}download_file/{stored}"})

    def download_file(self, request, params, info, name: str):
        if self.store is None:
            raise ApiError(400, "Files translation are disabled on this server.")
        found = self.store.get(name)
        if found is None:
            raise ApiError(404, "Invalid filename")
        data, download_name = found
        response = Response(data, mimetype="application/octet-stream")
        response.headers.set("Content-Disposition", "attachment", filename=download_name)
        return response

    # --- the page ----------------------------------------------------------------------------

    def page(self, request, params, info):
        return Response(PAGE, mimetype="text/html", headers=PAGE_HEADERS)

    def script(self, request, params, info):
        return Response(SCRIPT, mimetype="text/javascript", headers=PAGE_HEADERS)

    def style(self, request, params, info):
        return Response(STYLE, mimetype="text/css", headers=PAGE_HEADERS)

    def brief(self, request, params, info):
        """The page's request: one article (pasted or uploaded), its summary, translations and term
        report in every target, and the briefing to download."""
        upload = request.files.get("file")
        if upload:
            name, data = upload.filename or "article.txt", upload.read(self.settings.max_body + 1)
        else:
            text = params.get("q")
            if not isinstance(text, str) or not text.strip():
                raise missing("q")
            name, data = "article.txt", text.encode("utf-8")
        source = _lower(params.get("source")) or "fr"
        targets = params.get_list("targets")
        if not targets:
            raise missing("targets")
        if not all(isinstance(t, str) for t in targets):
            raise ApiError(400, "Invalid request: targets parameter must be a list of language codes")
        targets = list(dict.fromkeys(t.lower() for t in targets))
        limit = self.char_limit(params)
        if limit != -1 and len(data) > limit:
            raise ApiError(400, f"Invalid request: request ({len(data)}) exceeds text limit ({limit})")
        if source == "auto":
            source = (api.detect_language(data[:20_000].decode("utf-8", "ignore"), self.sources) or [("fr", 0)])[0][0]
        for target in targets:
            self.check_languages(source, target)
            self.check_route(source, target)
        info.update(targets=",".join(targets), bytes=len(data))

        def work():
            articles = [api.read_article_data(name, data, source)]
            results = api.brief(articles, [t for t in targets if t != source], self.engine, self.glossary)
            return results, api.render(results, "html", title="Briefing")

        results, briefing = self.run(work)
        return _json({"articles": [_view(result) for result in results], "briefing": briefing,
                      "name": name})


def _report(done) -> dict:
    return {"signature": done.signature, "sentences": done.sentences,
            "terms": [hit.to_dict() for hit in done.terms]}


def _view(result) -> dict:
    """What the page shows of a result: per language its title, summary and paragraphs, sentence by
    sentence with the glossary terms found in each (all text, escaped by the page when shown)."""
    article = result.article
    hits: dict[tuple[int, str], list] = {}
    for hit in result.terms:
        if hit.concept not in ("number", "verbatim"):
            hits.setdefault((hit.sentence, hit.lang), []).append(hit)
    languages = []
    for lang in result.languages:
        text = result.text(lang)
        facts = api.language(lang)
        paragraphs = []
        for group in article.paragraphs():
            sentences = []
            for i in group:
                if not text[i]:
                    continue
                found = hits.get((i, lang), []) if lang != article.lang else [
                    h for t in result.translations for h in hits.get((i, t), [])]
                marks = sorted({(h.term if lang == article.lang else (h.target or ""), "" if lang == article.lang
                                 else h.status) for h in found} - {("", "")})
                sentences.append({"text": text[i], "kind": article.segments[i].kind,
                                  "terms": [{"text": t, "status": s} for t, s in marks if t]})
            if sentences:
                paragraphs.append(sentences)
        summary = [text[i] for i in (result.summary.indices if result.summary else []) if text[i]]
        problems = [h.to_dict() for h in result.terms if h.lang == lang and h.problem]
        languages.append({"lang": lang, "name": facts.name, "native": facts.heading, "dir": facts.direction,
                          "title": text[article.title_index] if article.title_index is not None else "",
                          "summary": summary, "paragraphs": paragraphs, "problems": problems,
                          "ok": sum(1 for h in result.terms if h.lang == lang and not h.problem)})
    return {"languages": languages, "signature": result.signature}


class Params:
    """A request's fields as LibreTranslate reads them: the JSON body when it is JSON, else the
    query string and the form (urlencoded or multipart) together."""

    def __init__(self, request: Request):
        self.json = request.is_json
        self.body = None
        self.values = None
        if self.json:
            try:
                body = request.get_json(force=True)
            except RequestEntityTooLarge:
                raise
            except (BadRequest, ValueError, RecursionError):
                raise ApiError(400, "The browser (or proxy) sent a request that this server could not understand.") \
                    from None
            if not isinstance(body, dict):
                raise ApiError(400, "Invalid JSON format")
            self.body = body
        else:
            self.values = request.values

    def get(self, name: str):
        if self.body is not None:
            return self.body.get(name)
        values = self.values.getlist(name)
        if name == "q" and len(values) > 1:
            return values  # q given several times: a list
        return values[0] if values else None

    def get_list(self, name: str):
        """A list field: a JSON list, a form field given several times, or comma-separated."""
        if self.body is not None:
            value = self.body.get(name)
            return value.split(",") if isinstance(value, str) else value
        values = self.values.getlist(name)
        return [v for value in values for v in value.split(",") if v] if len(values) == 1 else values

    def number(self, name: str) -> int:
        """A whole number as LibreTranslate reads it (int() of the value), 0 when absent."""
        value = self.get(name)
        if value is None or value == "":
            return 0
        try:
            if not isinstance(value, (int, float, str)):
                raise TypeError(name)
            return max(0, int(value))
        except (ValueError, TypeError, OverflowError):
            raise ApiError(400, f"Invalid request: {name} parameter is not a number") from None

    def flag(self, name: str) -> bool:
        value = self.get(name)
        return value is True or (isinstance(value, str) and value.lower() in ("1", "true", "yes", "on"))

    def cost(self) -> int:
        """What the request counts for in the rate limit: one per text, as in LibreTranslate."""
        q = self.get("q")
        return max(1, len(q)) if isinstance(q, list) else 1
