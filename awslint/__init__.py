"""awslint: precise static analysis for Python code that runs on AWS."""
from __future__ import annotations

from awslint.checker import Analysis, analyse_source, analyse_tree, check_source, check_tree
from awslint.config import Config
from awslint.finding import Finding, Step
from awslint.notice import Notice
from awslint.rule import Family, Option, Rule
from awslint.rules import FAMILIES, OPTIONS, RULES, RULES_BY_CODE

__all__ = [
    "Analysis",
    "Notice",
    "analyse_source",
    "analyse_tree",
    "FAMILIES",
    "OPTIONS",
    "RULES",
    "RULES_BY_CODE",
    "Config",
    "Family",
    "Finding",
    "Option",
    "Rule",
    "Step",
    "check_source",
    "check_tree",
]
__version__ = "0.1.0"
