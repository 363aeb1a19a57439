"""A received message's row as the exchange's first transaction stores it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any


def received(data: bytes, afzender: str | None = "98000011") -> dict[str, Any]:
    """``berichten.insert``'s values for ``data``, just received from ``afzender``."""
    return {
        "afzender": afzender,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "payload": data,
        "received_at": datetime.now(UTC),
        "api_key_id": "test",
        "status": "ontvangen",
    }
