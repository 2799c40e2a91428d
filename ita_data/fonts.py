"""Sarabun, the one font of the dashboard, the charts and the exported files: its files are found
here only (they come with the fontpkg-sarabun package), for Streamlit (ui.install_fonts), for the
text-width estimates (thai.text_width) and for headless Chromium (fontconfig_file)."""
from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from html import escape
from pathlib import Path

FAMILY = "Sarabun"
SYSTEM_FONTCONFIG = "/etc/fonts/fonts.conf"


@lru_cache(maxsize=1)
def sarabun_dir() -> Path:
    """The folder of Sarabun's TTF files (Sarabun-Regular.ttf, Sarabun-Bold.ttf, ...)."""
    import fontpkg_sarabun
    return Path(fontpkg_sarabun.__file__).parent / "files"


def sarabun_file(style: str = "Regular") -> Path:
    """Sarabun-<style>.ttf: Regular, Medium, SemiBold, Bold, ..."""
    return sarabun_dir() / f"Sarabun-{style}.ttf"


def fontconfig_file(base: str | None = None) -> Path:
    """A fonts.conf that adds Sarabun's folder to `base` (the configuration in force; the system's
    by default). Chromium sees only fontconfig's fonts: this file, named by FONTCONFIG_FILE in the
    environment of a browser process (never in this process's), lets it find Sarabun without
    copying fonts anywhere (a home folder may be missing or read-only, /usr/local needs root)."""
    folder = Path(tempfile.gettempdir()) / f"ita-fontconfig-{os.getuid() if hasattr(os, 'getuid') else 0}"
    conf = folder / "fonts.conf"
    if not base or Path(base) == conf:
        base = SYSTEM_FONTCONFIG
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{escape(str(base))}</include>\n'
            f'  <dir>{escape(str(sarabun_dir()))}</dir>\n'
            f'  <cachedir>{escape(str(folder / "cache"))}</cachedir>\n</fontconfig>\n')
    folder.mkdir(parents=True, exist_ok=True)
    if not conf.exists() or conf.read_text(encoding="utf-8") != text:
        temporary = conf.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(conf)  # atomic: another process may be reading it
    return conf
