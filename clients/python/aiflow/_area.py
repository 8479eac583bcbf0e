"""The base of the client's areas (``client.datasets``, ``client.workflows``, ...)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # pragma: no cover
    from .client import Client


class _Area:
    def __init__(self, client: "Client") -> None:
        self._client = client
        self._http = client._http

    def _ns(self, namespace: Optional[str]) -> str:
        return namespace or self._client.namespace
