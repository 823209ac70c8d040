"""GET /spec: the API described as LibreTranslate describes its own (Swagger 2.0)."""

from __future__ import annotations


def _field(name: str, kind: str, description: str, required: bool = False, **extra) -> dict:
    return {"in": "formData", "name": name, "type": kind, "required": required, "description": description, **extra}


def _responses(ok: str, schema: dict) -> dict:
    error = {"type": "object", "properties": {"error": {"type": "string", "description": "Error message"}}}
    return {"200": {"description": ok, "schema": schema}, "400": {"description": "Invalid request", "schema": error},
            "403": {"description": "Banned", "schema": error}, "429": {"description": "Slow down", "schema": error},
            "500": {"description": "Translation error", "schema": error}}


def spec(version: str) -> dict:
    language = {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                                 "targets": {"type": "array", "items": {"type": "string"}}}}
    detection = {"type": "object", "properties": {"confidence": {"type": "number"}, "language": {"type": "string"}}}
    api_key = _field("api_key", "string", "API key")
    return {
        "swagger": "2.0",
        "info": {"title": "LibreTranslate", "version": version, "license": {"name": "MIT"},
                 "description": "passeur: offline translation of French news with an enforced glossary, "
                                "speaking LibreTranslate's API."},
        "basePath": "/",
        "paths": {
            "/translate": {"post": {"tags": ["translate"], "summary": "Translate Text", "parameters": [
                _field("q", "string", "Text(s) to translate (a string, or a list in JSON)", True),
                _field("source", "string", 'Source language code or "auto" for auto detection', True),
                _field("target", "string", "Target language code", True),
                _field("format", "string", "Format of source text: text or html", enum=["text", "html"]),
                _field("alternatives", "integer", "Preferred number of alternative translations"),
                _field("passeur", "boolean", "passeur's term report and signature, under the key passeur"),
                api_key], "responses": _responses("Translation", {"type": "object", "properties": {
                    "translatedText": {"description": "Translated text(s)"},
                    "detectedLanguage": {"description": "Only when source is auto"},
                    "alternatives": {"description": "Only when asked"}}})}},
            "/translate_file": {"post": {"tags": ["translate"], "summary": "Translate a File",
                                         "consumes": ["multipart/form-data"], "parameters": [
                _field("file", "file", "File to translate", True),
                _field("source", "string", 'Source language code or "auto"', True),
                _field("target", "string", "Target language code", True), api_key],
                "responses": _responses("Translated file", {"type": "object", "properties": {
                    "translatedFileUrl": {"type": "string"}}})}},
            "/download_file/{filename}": {"get": {"tags": ["translate"], "summary": "Download a translated file",
                                                  "parameters": [{"in": "path", "name": "filename", "type": "string",
                                                                  "required": True}],
                                                  "responses": {"200": {"description": "The file"}}}},
            "/detect": {"post": {"tags": ["translate"], "summary": "Detect Language of Text", "parameters": [
                _field("q", "string", "Text to detect", True), api_key],
                "responses": _responses("Detections", {"type": "array", "items": detection})}},
            "/languages": {"get": {"tags": ["translate"], "summary": "Get Supported Languages",
                                   "responses": {"200": {"description": "List of supported languages",
                                                         "schema": {"type": "array", "items": language}}}}},
            "/frontend/settings": {"get": {"tags": ["misc"], "summary": "Retrieve Frontend Settings",
                                           "responses": {"200": {"description": "frontend settings"}}}},
            "/suggest": {"post": {"tags": ["misc"], "summary": "Submit a Suggestion to Improve a Translation",
                                  "responses": {"403": {"description": "Suggestions are disabled on this server."}}}},
            "/health": {"get": {"tags": ["misc"], "summary": "Health Check",
                                "responses": {"200": {"description": "Service is healthy"}}}},
        },
    }
