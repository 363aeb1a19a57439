"""XsltVersie in every retour names the rule set that judged the message, so a change to any
rule must come with a new RULESET_VERSION. This test makes forgetting that impossible: it
knows the fingerprint of the rules' code for each released version."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import app.rules.level2 as level2
from app.rules import RULESET_VERSION

RULES_DIR = Path(level2.__file__).parents[1]
RULE_SOURCES = [
    *sorted(RULES_DIR.glob("level[234]/*.py")),
    RULES_DIR / "access.py",
    RULES_DIR / "declaraties.py",
]
# version → fingerprint of the rules' code of every level (comments, docstrings and layout do
# not count).
RELEASED = {
    "1.0.0": "2e1c642969e2d74578ffbebc10abe38ea36e2f1a3cd7c1df37e7856f6c15a2f1",
    # Level 2 follows the published rule checker of 3.2 (TR416 per Client, values compared as
    # text, TR319 at level 2, …) and no finding names a BSN.
    "1.1.0": "8aadfaa21356bc4ddf06107e8e2e414cef67cef8f2da9a2d5c6317b0afa1225b",
    # Levels 3 and 4 count as well (the fingerprint now covers level3/ and level4/); TR135
    # at level 4.
    "1.2.0": "fea7b98a7e4fa08a4d66d82e099465d9545c6ab13436654ef0434822870b3f3d",
    # Level 3 of 301, 305, 307 (TR019 TR063 TR071 TR074 TR326 TR332 TR379 TR382 TR413 TR414
    # TR415), of the requests and answers (TR347 TR374 TR304 TR349–TR351 TR357 TR361 TR373
    # TR375 TR411 TR412; TR355 TR359 TR360 TR365), TR056 for 301–319, and the code lists at
    # level 4 (TR378, TR381).
    "1.3.0": "49e13a383db67e1c92591c38ba497bcdb7656265a8328d134efb4831a02f8b3a",
    # Levels 3 and 4 of the declaration (323): its allocation (TR338 TR304 TR339–TR341 TR307
    # TR308 TR384 TR387 TR388), volume and budget (TR321 TR322 TR369), history (TR314 TR333
    # TR318 TR323 TR389 TR390), contracts (TR418 TR346), and TR056 TR378 TR381 for the 323;
    # TR385 on the 301; CS337 and CS340 against the region's period scheme (four ISO weeks in
    # a region that pays per four weeks); the fingerprint covers the declarations' kit.
    "1.4.0": "54c566baffb8caa72d63476757be7cfccfd984500bace558dc56916689612806",
    # Same verdicts; faster look-ups (the allocations by number and parties, built once).
    "1.4.1": "234c81b7514b1b24cb5a0c10af34a1564e0f88e75ada5a0cb454741cbf05fb97",
    # Same verdicts; faster: each prestatie's allocation looked up once per message, the
    # contract and volume rules answer once per distinct question, level 2's CS002, TR101
    # and TR335 do less per prestatie.
    "1.4.2": "91758bb3bfbb4e79330ed95952c3aa2f02d353f2461458bea6dd3f4a7b385f6a",
    # Same verdicts; faster: the rules of a run walk one list of the declaration's
    # prestaties, TR101's keys are flat tuples, the volume and budget rules ask once per
    # line, and the common case of several level-2 rules takes no generator per prestatie.
    "1.4.3": "69c9d717fd305c4daa878ba887f74c7154e0c47b2f16683b4e02c6563f691baa",
}


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        value = first.value if isinstance(first, ast.Expr) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            node.body = body[1:] or [ast.Pass()]  # type: ignore[attr-defined]
    return tree


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in RULE_SOURCES:
        tree = _without_docstrings(ast.parse(path.read_text(encoding="utf-8")))
        digest.update(path.name.encode())
        digest.update(ast.dump(tree).encode())
    return digest.hexdigest()


def test_changed_rules_come_with_a_new_ruleset_version() -> None:
    current = fingerprint()
    assert RELEASED.get(RULESET_VERSION) == current, (
        "The rules changed since rule set "
        f"{RULESET_VERSION}: bump RULESET_VERSION in app/rules/__init__.py and add "
        f'"<new version>": "{current}" to RELEASED in this file.'
    )


def test_every_released_version_has_its_own_fingerprint() -> None:
    assert len(set(RELEASED.values())) == len(RELEASED)
