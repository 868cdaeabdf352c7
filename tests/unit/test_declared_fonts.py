"""WeasyPrint sees the declared fonts only, and is told so without the process environment."""

from __future__ import annotations

import os
from pathlib import Path

from publish.engine.fontconfig import font_configuration, font_files
from publish.reading.fonts import font_dirs, fontconfig_xml


def test_weasyprint_sees_only_the_declared_fonts_and_the_environment_is_untouched(monkeypatch):
    from weasyprint.text.fonts import FontConfiguration

    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    before = dict(os.environ)
    fonts = font_configuration(fontconfig_xml())
    assert dict(os.environ) == before
    files = font_files(fonts)
    folders = [folder.resolve() for folder in font_dirs()]
    assert any(Path(file).name == "SourceSerifPro-Regular.otf" for file in files)
    assert all(any(Path(file).resolve().is_relative_to(folder) for folder in folders) for file in files), files
    machine = font_files(FontConfiguration())  # the machine's own configuration: other fonts too
    assert any(not any(Path(file).resolve().is_relative_to(folder) for folder in folders) for file in machine)
