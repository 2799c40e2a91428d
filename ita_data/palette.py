"""Every colour of the dashboard, the charts and the exported files, as "#RRGGBB" (CSS, Plotly).
python-pptx and openpyxl want the hex without "#": `bare(colour)` gives it (derived, never written twice)."""
from __future__ import annotations

# text
TEXT = "#1F2933"
MUTED = "#5F6B76"
WHITE = "#FFFFFF"

# the deck and the register: header bars and table headers, slide titles, table stripes, cards
HEADER = "#1F4E8C"
TITLE = "#1B3A66"
STRIPE = "#EEF3FA"
CARD = "#F5F7FA"
CARD_BORDER = "#D5DCE4"

# the written report (exports/report_docx.py, report_pdf.py): header cells and a row's group line
REPORT_HEADER = "#E2E8F0"
REPORT_GROUP = "#F2F4F7"

# chart furniture
GRID = "#E3E7EB"
AXIS_LINE = "#B8C0C8"
HOVER_BORDER = "#9AA5B1"
TRACK = "#F1F3F4"  # the empty part of a bar (the overdue share)
OUTSIDE_YEAR = "#EEF0F2"  # timeline months outside the fiscal year
HEATMAP_BACKGROUND = "#F4F6F8"
HEATMAP_SCALE_TOP = "#1B4F8C"
HEATMAP_SCALE_LOW = "#DCE8F6"
FALLBACK = "#999999"  # a status the palette does not know
FALLBACK_DARK = "#555555"

# measure statuses (and overdue)
STATUS_COLORS = {
    "not_started": "#8E979F",  # grey
    "in_progress": "#2F6FD0",  # blue
    "done": "#2E9D57",  # green
    "cancelled": "#D3D7DB",  # light grey
    "overdue": "#D93025",  # red
}
# the progress part of a timeline bar, a shade darker than the status
PROGRESS_COLORS = {"not_started": "#5D666E", "in_progress": "#1B4C99", "done": "#1E6E3C", "cancelled": "#9AA1A8"}
GOOD = STATUS_COLORS["done"]
BAD = STATUS_COLORS["overdue"]

# scores
SCORE = "#2F5D9E"
BELOW_PASS = "#C5221F"  # a score bar under the pass mark
GAP = "#F4A582"  # light red/orange: the distance to 100
GAP_TEXT = "#A0441F"
PASS_LINE = "#B3261E"
TODAY = "#E8710A"
GRADE_BAND_COLORS = {"AA": "#E6F4EA", "A": "#EAF1FB", "B": "#FEF7E0", "C": "#FDEDE0",
                     "D": "#FCE8E6", "E": "#FCE8E6", "F": "#F8DAD7"}
GRADE_BAND_OTHER = "#F2F2F2"

# a score from one year to the next (the year-over-year view and the agency's trend)
SCORE_UP = "#1E7F3C"  # green: higher than the year before
SCORE_DOWN = "#C5221F"  # red: lower
SCORE_SAME = "#6B7680"  # grey: unchanged, or one year only
SCORE_BEFORE = "#6B7680"  # the earlier year's marker (hollow)
TREND_OVERALL = "#1B3A66"  # the overall ITA score's line
TREND_COLORS = ("#2F6FD0", "#E8710A", "#2E9D57", "#9334E6", "#C5221F", "#12A4AF", "#B06000", "#E52592",
                "#5F6B76", "#7CB342")  # indicators 1-10


def bare(colour: str) -> str:
    """"#1F4E8C" -> "1F4E8C" (python-pptx RGBColor.from_string, openpyxl colours)."""
    return colour.lstrip("#").upper()
