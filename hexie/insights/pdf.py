"""Word → PDF with LibreOffice, when it is installed; otherwise a note saying why there is no PDF."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext_noop

log = logging.getLogger("hexie.insights")

NO_LIBREOFFICE_NOTE = gettext_noop("未安装LibreOffice，未生成PDF")  # stored with a bulletin in Chinese; shown translated
CONVERT_TIMEOUT_S = 180


def libreoffice() -> str | None:
    """The LibreOffice binary on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: bytes, *, stem: str = "document") -> tuple[bytes | None, str]:
    """The PDF of a .docx and an empty note, or None and the reason (bilingual) when there is none."""
    binary = libreoffice()
    if binary is None:
        return None, NO_LIBREOFFICE_NOTE
    with tempfile.TemporaryDirectory(prefix="hexie-pdf-") as tmp:
        src = Path(tmp) / f"{stem}.docx"
        src.write_bytes(docx)
        # A private profile directory: a second soffice with the user's profile would just hand the job
        # to a running instance (or wait for its lock) instead of converting.
        profile = Path(tmp) / "profile"
        cmd = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
               "--outdir", tmp, str(src)]
        try:
            done = subprocess.run(  # noqa: S603 - fixed arguments, the binary found on PATH
                cmd, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            return None, f"PDF转换超时（{CONVERT_TIMEOUT_S}秒），未生成PDF"
        except OSError as exc:
            return None, f"无法启动LibreOffice（{exc.strerror}），未生成PDF"
        out = Path(tmp) / f"{stem}.pdf"
        if done.returncode != 0 or not out.exists():
            log.warning("soffice failed (%s): %s", done.returncode, (done.stderr or done.stdout)[-500:])
            return None, f"PDF转换失败（LibreOffice退出码{done.returncode}），未生成PDF"
        return out.read_bytes(), ""
