"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.api.auth import public
from app.api.state import service_state

# Load balancers probe without credentials.
router = APIRouter(prefix="/health", tags=["operations"], dependencies=[public()])


@router.get("/live", summary="The process is up (touches nothing)")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="Ready to take traffic: database answers and message schemas are compiled",
    responses={503: {"description": "A check failed; the body names it"}},
)
async def ready(request: Request) -> JSONResponse:
    checks: dict[str, dict[str, Any]] = await service_state(request).readiness()
    ok = all(check["status"] == "ok" for check in checks.values())
    failing = [name for name, check in checks.items() if check["status"] != "ok"]
    body: dict[str, Any] = {"status": "ok" if ok else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    return JSONResponse(body, status_code=200 if ok else 503)
