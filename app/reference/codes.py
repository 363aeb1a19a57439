"""Code lists and formats of release 3.2 that reference data must satisfy.

The values are facts of the standard (basisschema LDT_ProductCategorie per law, LDT_Eenheid,
LDT_Gemeente, LDT_AgbCode, LDT_ProductCode, LDT_Bedrag); the labels are ours.
"""

from __future__ import annotations

import re
from typing import Final, Literal

Wet = Literal["wmo", "jw"]
WETTEN: Final = ("wmo", "jw")

# WJ756 Eenheid.
EENHEDEN: Final[dict[str, str]] = {
    "01": "minuut",
    "04": "uur",
    "14": "etmaal",
    "16": "dagdeel (4 uur)",
    "82": "stuks (output)",
    "83": "euro's",
    "84": "stuks (inspanning)",
}

# WMO020 (iWmo) and JZ020 (iJw) Productcategorie.
CATEGORIEEN: Final[dict[str, frozenset[str]]] = {
    "wmo": frozenset(f"{n:02d}" for n in range(1, 19)),
    "jw": frozenset([*(str(n) for n in range(31, 39)), *(str(n) for n in range(40, 56))]),
}

GEMEENTECODE: Final = re.compile(r"^[0-9]{4}$")
AGB: Final = re.compile(r"^[0-9]{8}$")
# The schema allows 1-5 characters; we keep codes to letters and digits so they are safe in
# paths and CSV files (every published product code list uses only those).
PRODUCTCODE: Final = re.compile(r"^[0-9A-Za-z]{1,5}$")
REGIOCODE: Final = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,15}$")

# LDT_Bedrag: a tariff is a non-negative amount of at most 99 999 999 eurocents.
MAX_CENT: Final = 99_999_999
