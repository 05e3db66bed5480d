"""Static files as production serves them (docs/decisions/0011-static-files-and-compression.md)."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class BuiltStaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # whitenoise is untyped
    """WhiteNoise's compressed, content-hashed storage, linking the hashed names even with DEBUG on.

    Django links the plain names while DEBUG is on; a server run with ``ZHULAO_STATIC_BUILT=1`` and DEBUG
    on (the browser tests' server) must link what ``collectstatic`` wrote, exactly as production does.
    A library file naming a source map that we do not copy keeps the plain name instead of failing
    ``collectstatic``: source maps are for developer tools only.
    """

    def url(self, name: str | None, force: bool = False) -> str:
        url: str = super().url(name, force=True)
        return url

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        try:
            hashed: str = super().hashed_name(name, content, filename)
        except ValueError:
            if name.split("?", 1)[0].split("#", 1)[0].endswith(".map"):
                return name
            raise
        return hashed
