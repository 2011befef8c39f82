"""The web layer: a JSON REST API under ``/api/v1`` and server-rendered pages, both thin.

Routes parse the request, call one service and render its answer; no query or formula lives here.
"""

from microscout.web.app import create_app

__all__ = ["create_app"]
