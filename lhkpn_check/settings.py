"""One defaults table drives every threshold: the config file, `lhkpn-check rules` and the method page.

A config file is TOML with any of these names at top level (or under `[lhkpn_check]`); an unknown
name or a value of the wrong type is refused with a message naming the key.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from lhkpn_check.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    """English."""
    bantuan: str
    """Bahasa Indonesia."""
    group: str = "umum"


SETTINGS: tuple[Setting, ...] = (
    # -- run ------------------------------------------------------------------------------------------
    Setting("seed", 20240101, "Random seed for the outlier detectors (same seed, same output).",
            "Benih acak untuk detektor pencilan (benih sama, hasil sama).", "run"),
    Setting("max_unzipped_bytes", 1 << 30,
            "Refuse an .xlsx whose parts would decompress to more than this many bytes (zip bomb guard).",
            "Tolak berkas .xlsx yang isinya bila diekstrak melebihi sekian byte (pelindung zip bomb).", "run"),
    Setting("dossiers", 5000, "Write a dossier page for at most this many officials, highest ranked first.",
            "Tulis halaman dosir untuk paling banyak sekian pejabat, mulai dari peringkat teratas.", "run"),
    Setting("min_year", 1990, "Reporting years before this are rejected as implausible.",
            "Tahun pelaporan sebelum tahun ini ditolak karena tidak wajar.", "run"),
    Setting("max_money", 1e15, "A money value above this (Rupiah) is treated as a typing error and set to missing.",
            "Nilai uang di atas angka ini (Rupiah) dianggap salah ketik dan dikosongkan.", "run"),
)


class Settings:
    """The configuration in force: defaults overridden by a config file and options."""

    def __init__(self, values: dict | None = None):
        self._values = {s.name: s.default for s in SETTINGS}
        self._source = {s.name: "default" for s in SETTINGS}
        for key, value in (values or {}).items():
            self.set(key, value, "option")

    def set(self, key: str, value, source: str = "option") -> None:
        spec = SETTING_BY_NAME.get(key)
        if spec is None:
            raise ConfigError(f"pengaturan '{key}' tidak dikenal", column=key,
                              fix="Lihat daftar nama yang sah dengan: lhkpn-check rules")
        self._values[key] = _coerce(spec, value)
        self._source[key] = source

    def __getattr__(self, key: str):
        try:
            return self.__dict__["_values"][key]
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str):
        return self._values[key]

    def as_dict(self) -> dict:
        return dict(self._values)

    def source(self, key: str) -> str:
        return self._source[key]


SETTING_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(spec: Setting, value):
    want = type(spec.default)
    if isinstance(value, bool) != isinstance(spec.default, bool):
        raise _bad_type(spec, value)
    if want is float and isinstance(value, (int, float)):
        return float(value)
    if want is int and isinstance(value, int):
        return value
    if want is int and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, want):
        return value
    raise _bad_type(spec, value)


def _bad_type(spec: Setting, value) -> ConfigError:
    return ConfigError(f"nilai {value!r} untuk '{spec.name}' tidak sesuai (contoh yang benar: {spec.default!r})",
                       column=spec.name, fix=f"Perbaiki nilai '{spec.name}' di berkas konfigurasi.")


def load_settings(config: str | Path | None = None, overrides: dict | None = None) -> Settings:
    """Defaults, then the TOML config file, then command-line overrides."""
    settings = Settings()
    if config is not None:
        path = Path(config)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ConfigError("berkas konfigurasi tidak ditemukan", file=path,
                              fix="Periksa nama dan letak berkas --config.") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"berkas konfigurasi bukan TOML yang sah ({exc})", file=path,
                              fix="Tulis setiap pengaturan sebagai `nama = nilai`, satu per baris.") from None
        data = data.get("lhkpn_check", data)
        for key, value in data.items():
            try:
                settings.set(key, value, str(path.name))
            except ConfigError as exc:
                exc.file = path
                raise ConfigError(exc.problem, file=path, column=exc.column, fix=exc.fix) from None
    for key, value in (overrides or {}).items():
        if value is not None:
            settings.set(key, value, "option")
    return settings
