"""The web app's settings: from the project and the environment, never from a file anyone can read.

* ``ODA_SECRET_KEY`` signs session cookies. Unset, a random key is kept in ``<project>/.oda/web-secret``
  (readable by its owner only), so sessions survive a restart on one machine; set it for several workers.
* ``ODA_TILE_URL`` is a tile server template (``https://tiles.example.gov.uk/{z}/{x}/{y}.png``). Unset,
  maps show points, ward boundaries and a scale on a plain background: nothing is fetched from outside.
* ``ODA_TILE_ATTRIBUTION`` is the attribution the tile provider requires.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

SECRET_ENV = "ODA_SECRET_KEY"
TILE_URL_ENV = "ODA_TILE_URL"
TILE_ATTRIBUTION_ENV = "ODA_TILE_ATTRIBUTION"
SESSION_LIFETIME = timedelta(hours=8)


@dataclass(frozen=True)
class WebSettings:
    secret_key: str
    tile_url: str = ""
    tile_attribution: str = ""
    session_lifetime: timedelta = SESSION_LIFETIME

    @property
    def tile_origin(self) -> str:
        """The tile server's origin for the Content-Security-Policy (``{s}`` subdomains become ``*``)."""
        parts = urlsplit(self.tile_url)
        if not parts.scheme or not parts.netloc:
            return ""
        host = parts.netloc
        if "{" in host:
            host = "*." + host.split(".", 1)[-1]
        return f"{parts.scheme}://{host}"

    @classmethod
    def from_environment(cls, project_root: Path) -> WebSettings:
        return cls(secret_key=os.environ.get(SECRET_ENV) or _local_secret(project_root),
                   tile_url=os.environ.get(TILE_URL_ENV, ""),
                   tile_attribution=os.environ.get(TILE_ATTRIBUTION_ENV, ""))


def _local_secret(project_root: Path) -> str:
    path = project_root / ".oda" / "web-secret"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it a moment ago
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
