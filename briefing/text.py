"""Plain text: what a newsroom pastes into a CMS. Files keep logical order (the terminal
layout of right-to-left text is the command line's business)."""

from __future__ import annotations

from passeur.briefing.view import build


def render(results, parts, title=None) -> str:
    out = []
    if title:
        out.append(f"{title}\n\n")
    for view in map(build, results):
        if "summary" in parts:
            out.append(f"=== {view.name} ===\n")
            for lang in view.languages:
                out.append(f"\n[{lang.lang}] {lang.name}\n" + (f"{lang.title}\n" if lang.title else ""))
                out += [f"{s}\n" for s in lang.summary]
            out.append("\n")
        if "terms" in parts and view.terms:
            out.append("Glossary terms: " + ", ".join(f"{name} {ok} ok, {bad} problems"
                                                      for _, name, ok, bad in view.terms.counts) + "\n")
            out += [f"  sentence {p.sentence} [{p.lang}] {p.term} → {p.expected}: {p.status}\n" for p in view.terms.problems]
            out.append("\n")
        if "text" in parts:
            for lang in view.languages[1:]:
                out.append(f"=== {view.name} [{view.lang}→{lang.lang}] ===\n\n")
                out.append("\n\n".join(p.text for p in lang.paragraphs) + "\n\n")
        out.append(f"signature: {view.signature}\n\n")
    return "".join(out).rstrip("\n") + "\n"
