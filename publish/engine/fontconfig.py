"""A WeasyPrint `FontConfiguration` that sees only the fonts a fontconfig configuration names.

Input: a fontconfig configuration, as XML text (reading/fonts.py: the declared fonts' folders and a
cache folder). Output: a `FontConfiguration` whose font map uses that configuration alone — no
system fonts, no user fonts — made without setting `FONTCONFIG_FILE` in the process environment
(nothing is set there during a build). WeasyPrint loads the machine's configuration
(`FcInitLoadConfigAndFonts`); here a new one is created (`FcConfigCreate`, declared on WeasyPrint's
own cffi instance), loaded from the text, its fonts scanned, and given to the font map in its place,
as WeasyPrint gives its own (`pango_fc_font_map_set_config`).
"""

from __future__ import annotations

from typing import Any

from . import patching

DECLARED_FONTS = patching.Feature(
    "declared-fonts-only", "a FontConfiguration built from a given fontconfig configuration instead of "
    "the machine's (no environment variable)", __name__,
    (patching.Anchor("text.fonts", "        self._config = fontconfig.FcInitLoadConfigAndFonts()\n",
                     "the configuration WeasyPrint's font map and @font-face rules use, replaced"),
     patching.Anchor("text.fonts", "        pangoft2.pango_fc_font_map_set_config(\n",
                     "how WeasyPrint gives its font map a configuration")))


class FontConfigError(RuntimeError):
    """fontconfig refused the configuration."""


def font_configuration(config_xml: str) -> Any:
    """A WeasyPrint `FontConfiguration` (Any: WeasyPrint's) whose fonts are those `config_xml` names."""
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(fontconfig, "FcConfigCreate"):  # WeasyPrint's cffi declares what it uses only
        ffi.cdef("FcConfig * FcConfigCreate (void); FcBool FcConfigBuildFonts (FcConfig *config);")
    fonts = FontConfiguration()
    config = fontconfig.FcConfigCreate()
    if (not fontconfig.FcConfigParseAndLoadFromMemory(config, config_xml.encode(), True)
            or not fontconfig.FcConfigBuildFonts(config)):
        fontconfig.FcConfigDestroy(config)
        raise FontConfigError("fontconfig refused publish's font configuration")
    pangoft2.pango_fc_font_map_set_config(ffi.cast("PangoFcFontMap *", fonts.font_map), config)
    fontconfig.FcConfigDestroy(config)  # the font map keeps a reference, as in WeasyPrint
    fonts._config = config
    return fonts


def font_files(fonts: Any) -> list[str]:
    """The font files a `FontConfiguration`'s configuration lists (its fonts outside @font-face)."""
    from weasyprint.text.ffi import ffi, fontconfig

    found = []
    listed = fontconfig.FcConfigGetFonts(fonts._config, fontconfig.FcSetSystem)
    string = ffi.new("FcChar8 **")
    for index in range(listed.nfont if listed != ffi.NULL else 0):
        if fontconfig.FcPatternGetString(listed.fonts[index], b"file", 0, string) == 0:  # FcResultMatch
            found.append(ffi.string(ffi.cast("char *", string[0])).decode())
    return sorted(found)
