"""Headless Chromium for the deck's files, on public APIs only:

- charts as PNG: kaleido's sync server (kaleido.start_sync_server / calc_fig_sync /
  stop_sync_server), one headless Chromium for a whole deck (`chart_server`);
- the PDF: `chromium --headless --print-to-pdf` on the deck's HTML page (`print_pdf`).

Both browsers find Sarabun through a fontconfig file (fonts.fontconfig_file) named by
FONTCONFIG_FILE in the browser process's own environment (`chromium_env`): kaleido starts its
Chromium through choreographer, whose browser class (`browser_cls`) says what environment the
process gets. This process's os.environ is never changed."""
from __future__ import annotations

import logging
import os
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from choreographer.browsers import Chromium

from .. import fonts

_log = logging.getLogger(__name__)
PNG_SCALE = 2  # charts are rendered at twice their slide size in CSS pixels
TIMEOUT = 60  # seconds for one chart, for printing, and for Chromium to start


def chromium_env() -> dict[str, str]:
    """The environment of a Chromium process: this process's, with Sarabun added to fontconfig's fonts."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(fonts.fontconfig_file(env.get("FONTCONFIG_FILE")))
    return env


def chromium_path() -> str:
    """The Chromium kaleido would use ($BROWSER_PATH, else the system's, found by choreographer)."""
    path = os.environ.get("BROWSER_PATH") or Chromium.find_browser(skip_local=False)
    if not path:
        raise RuntimeError("ไม่พบโปรแกรม Chromium ที่ใช้วาดกราฟและพิมพ์ PDF: ให้ผู้ดูแลระบบติดตั้งตามคู่มือ (README)")
    return str(path)


class SarabunChromium(Chromium):
    """choreographer's Chromium, started with `chromium_env()`."""

    def get_env(self):
        return chromium_env()


# ---------------------------------------------------------------- charts (kaleido's sync server)

_server_lock = threading.RLock()  # kaleido's sync server is one per process: one batch at a time
_server_depth = 0  # chart_server blocks entered (in the thread holding the lock)


@contextmanager
def chart_server():
    """kaleido's sync server for a batch of charts: its Chromium starts on entering, in the
    background (the caller can build the deck meanwhile), and stops on leaving. One batch at a
    time per process (Streamlit sessions share it): another thread waits here; inside a
    chart_server, another one reuses it."""
    global _server_depth
    import kaleido

    with _server_lock:
        if _server_depth == 0:
            kaleido.start_sync_server(n=1, timeout=TIMEOUT, mathjax=False, path=chromium_path(),
                                      browser_cls=SarabunChromium, silence_warnings=True)
        _server_depth += 1
        try:
            yield
        finally:
            _server_depth -= 1
            if _server_depth == 0:
                kaleido.stop_sync_server(silence_warnings=True)


def png_images(figures: list[tuple[object, int, int]]) -> list[bytes]:
    """PNG of each (figure, width px, height px) at PNG_SCALE, in order, from one Chromium."""
    import kaleido

    if not figures:
        return []
    with chart_server():
        return [_answer(kaleido.calc_fig_sync, fig, opts={"format": "png", "width": width, "height": height,
                                                          "scale": PNG_SCALE})
                for fig, width, height in figures]


def chart_images(slides) -> dict[int, bytes]:
    """PNG of every slide's figure at its slide size (Slide.figure_px) x PNG_SCALE, by id(slide)."""
    slides = [s for s in slides if s.figure is not None]
    return {id(s): png for s, png in zip(slides, png_images([(s.figure, *s.figure_px) for s in slides]))}


def _answer(call, *args, **kwargs):
    """call(*args, **kwargs) within a time limit: a sync server whose Chromium failed to start
    never answers (kaleido waits on its queue for good), so the wait is in a thread of its own."""
    out: dict = {}

    def run() -> None:
        try:
            out["value"] = call(*args, **kwargs)
        except BaseException as e:  # noqa: BLE001 - raised again below, in the caller's thread
            out["error"] = e

    worker = threading.Thread(target=run, name="ita-chart", daemon=True)
    worker.start()
    worker.join(TIMEOUT * 2)
    if worker.is_alive():
        raise RuntimeError(f"Chromium ไม่ตอบภายใน {TIMEOUT * 2} วินาที (วาดกราฟไม่สำเร็จ)")
    if "error" in out:
        raise out["error"]
    return out["value"]


# ---------------------------------------------------------------- printing

def print_pdf(page_html: str) -> bytes:
    """An HTML page printed to PDF by headless Chromium: its CSS @page size and margins,
    backgrounds printed, no header or footer. Its files (fonts, images) may be file: URLs."""
    with tempfile.TemporaryDirectory(prefix="ita-deck-") as folder:
        page, out = Path(folder) / "deck.html", Path(folder) / "deck.pdf"
        page.write_text(page_html, encoding="utf-8")
        command = [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-extensions", f"--user-data-dir={Path(folder) / 'profile'}",
                   "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()]
        try:
            done = subprocess.run(command, env=chromium_env(), capture_output=True, timeout=TIMEOUT,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"Chromium พิมพ์ PDF ไม่เสร็จภายใน {TIMEOUT} วินาที") from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            # Chromium's own words (English) go to the server's log, not to the page
            _log.error("chromium --print-to-pdf exited %s: %s", done.returncode,
                       done.stderr.decode("utf-8", "replace").strip()[-2000:])
            raise RuntimeError(f"Chromium พิมพ์ PDF ไม่สำเร็จ (รหัส {done.returncode})")
        return out.read_bytes()
