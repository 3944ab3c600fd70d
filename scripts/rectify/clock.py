"""The date deadlines are judged on: shared by the CLI's commands and the site plugin (which must
not import the command layer)."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from rectify.paths import PathsError


def today_in_shanghai() -> dt.date:
    """The date deadlines are judged on when ``--today`` is not given: ``RECTIFY_TODAY``
    (YYYY-MM-DD) when set — the same for check, report, new, ledger and build — else today in
    Asia/Shanghai: deadlines are Beijing dates, whatever the runner's clock zone."""
    text = os.environ.get("RECTIFY_TODAY", "").strip()
    if text:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise PathsError(f"环境变量 RECTIFY_TODAY 应为 YYYY-MM-DD，实为 “{text}”") from None
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
