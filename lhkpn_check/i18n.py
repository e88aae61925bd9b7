"""One message catalogue, Bahasa Indonesia first, English second.

The catalogue is merged from `locale/*.toml` (one file per area: cli, quality, rules, report).
Each entry is a table with an `id` and an `en` string, formatted with `str.format` keywords:

    [quality.money_unreadable]
    id = "Nilai uang '{value}' tidak terbaca"
    en = "Money value '{value}' could not be read"
"""

from __future__ import annotations

import sys
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LANGS = ("id", "en")
DEFAULT_LANG = "id"


def _flatten(prefix: str, table: dict, out: dict) -> None:
    if set(table) >= {"id", "en"} and all(isinstance(v, str) for v in table.values()):
        out[prefix] = table
        return
    for key, value in table.items():
        if isinstance(value, dict):
            _flatten(f"{prefix}.{key}" if prefix else key, value, out)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    folder = resources.files("lhkpn_check") / "locale"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), out)
    return out


def t(key: str, lang: str = DEFAULT_LANG, **kwargs) -> str:
    """The message `key` in `lang`, formatted with `kwargs`. A missing key is a bug: KeyError."""
    entry = catalogue()[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**kwargs) if kwargs else text


def has(key: str) -> bool:
    return key in catalogue()
