"""ประชุมประจำเดือน: the monthly meeting's deck, shown one slide at a time at projector size with
previous/next (the slide number is in the URL), and the same deck as PPTX and PDF plus the measure
register as XLSX, each built only when its button is clicked. The content is exports/meeting.py's."""
from html import escape

import streamlit as st

from ita_data import store, ui, views
from ita_data.exports import meeting, pdf, pptx, tables
from ita_data.thai import thai_date


@st.cache_data(max_entries=12, show_spinner="กำลังเตรียมสไลด์…")
def deck_of(assessment_id: int, month, today, data_stamp: str) -> meeting.Deck:
    """The deck, built once per assessment, month, day and state of the data (data_stamp)."""
    return meeting.build_deck(ui.connection(), assessment_id, month, today)


def md_escape(text) -> str:
    """Cell text for st.table, which reads Markdown: special characters kept as themselves."""
    out = str(text).replace("\n", " ")
    for ch in "\\`*_{}[]<>()#+-.!|~":
        out = out.replace(ch, "\\" + ch)
    return out


con, chosen = ui.start_page()
today = views.today()
months = meeting.month_options(chosen["plan_year"], today)
default_month = meeting.first_of(today) if meeting.first_of(today) in months else months[-1]
if "month" in st.session_state and st.session_state.month not in months:
    st.session_state.month = default_month  # another plan year was chosen in the sidebar

st.html("""<style>
.slide-title { font-size: 2.6rem; font-weight: 700; color: #1B3A66; line-height: 1.35; margin: 0.2rem 0 0.1rem; }
.slide-sub { font-size: 1.3rem; color: #5F6B76; line-height: 1.5; margin-bottom: 0.6rem; }
.slide-cover { padding: 2.2rem 2.4rem; background: #1F4E8C; color: white; border-radius: 0.5rem;
               font-size: 2.5rem; font-weight: 700; line-height: 1.4; }
.slide-lines { padding: 1.4rem 2.4rem 0.6rem; line-height: 1.6; }
.slide-empty { padding: 2.4rem; text-align: center; font-size: 1.5rem; color: #5F6B76; background: #F5F7FA;
               border: 1px solid #D5DCE4; border-radius: 0.5rem; margin: 1rem 0; }
.slide-note { color: #5F6B76; font-size: 1.05rem; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.15rem; line-height: 1.5; }
</style>""")

st.title("ประชุมประจำเดือน")
top = st.columns([2, 5], vertical_alignment="bottom")
month = top[0].selectbox("เดือนที่ประชุม", months, index=months.index(default_month), key="month",
                         bind="query-params", format_func=meeting.month_label)
deck = deck_of(chosen["id"], month, today, store.last_change(con))
top[1].caption(f"{chosen['organization']} · ปีงบประมาณ {chosen['plan_year']} · ข้อมูล ณ วันที่ "
               f"{thai_date(deck.meeting_date)} · การประชุมครั้งก่อน {thai_date(deck.previous_meeting)}")

# ---------------------------------------------------------------- navigation
total = len(deck.slides)
if not 1 <= st.session_state.get("slide", 1) <= total:
    st.session_state.slide = 1


def step(delta: int) -> None:
    st.session_state.slide = min(max(1, st.session_state.get("slide", 1) + delta), total)


nav = st.columns([1.2, 1.4, 1.2, 5], vertical_alignment="bottom")
nav[0].button("ก่อนหน้า", icon=":material/arrow_back:", on_click=step, args=(-1,), key="previous_slide",
              width="stretch")
number = nav[1].number_input("สไลด์", min_value=1, max_value=total, step=1, key="slide", bind="query-params")
nav[2].button("ถัดไป", icon=":material/arrow_forward:", on_click=step, args=(1,), key="next_slide",
              width="stretch")
nav[3].markdown(f"สไลด์ **{number}** จาก {total} · {escape(deck.slides[number - 1].title)}")

# ---------------------------------------------------------------- the slide
slide = deck.slides[number - 1]
with st.container(border=True):
    if slide.kind == "cover":
        st.markdown(f"<div class='slide-cover'>{escape(slide.title)}</div>", unsafe_allow_html=True)
        sizes = ["2.2rem;font-weight:700;color:#1B3A66", "1.4rem;color:#5F6B76", "1.4rem",
                 "1.9rem;font-weight:700;color:#1F4E8C", "1.4rem"]
        lines = "".join(f"<div style='font-size:{size}'>{escape(text)}</div>"
                        for text, size in zip(slide.lines, sizes + sizes[-1:] * len(slide.lines)) if text)
        st.markdown(f"<div class='slide-lines'>{lines}</div>", unsafe_allow_html=True)
    else:
        st.markdown(f"<div class='slide-title'>{escape(slide.title)}</div>"
                    f"<div class='slide-sub'>{escape(slide.subtitle)}</div>", unsafe_allow_html=True)
        if slide.figure is not None:
            st.plotly_chart(slide.figure, key=f"slide_chart_{number}", config={"displayModeBar": False})
        if slide.facts:
            for column, fact in zip(st.columns(len(slide.facts)), slide.facts):
                column.metric(fact.label, fact.value, border=True)
        if slide.table is not None:
            if slide.table.empty:
                st.markdown(f"<div class='slide-empty'>{escape(slide.empty)}</div>", unsafe_allow_html=True)
            else:
                shown = slide.table.map(md_escape)
                shown.columns = [md_escape(c) for c in shown.columns]
                st.table(shown, hide_index=True)
        if slide.note:
            st.markdown(f"<div class='slide-note'>{escape(slide.note)}</div>", unsafe_allow_html=True)
    st.caption(f"{deck.footer} · {number} / {total}")

# ---------------------------------------------------------------- files
st.subheader("ดาวน์โหลด")
st.caption("ไฟล์สร้างเมื่อกดปุ่ม: สไลด์ใช้เวลาไม่กี่วินาที (วาดกราฟด้วย Chromium)")
d1, d2, d3, _ = st.columns([1, 1, 1, 1])
d1.download_button("สไลด์ PowerPoint (PPTX)", lambda: pptx.deck_pptx(deck), file_name=f"{deck.file_stem}.pptx",
                   mime=pptx.PPTX_MIME, icon=":material/slideshow:", on_click="ignore", width="stretch")
d2.download_button("สไลด์ PDF", lambda: pdf.deck_pdf(deck), file_name=f"{deck.file_stem}.pdf",
                   mime=pdf.PDF_MIME, icon=":material/picture_as_pdf:", on_click="ignore", width="stretch")
d3.download_button("ทะเบียนมาตรการ (XLSX)", lambda: tables.measures_xlsx(deck.measures),
                   file_name=f"ทะเบียนมาตรการ-{deck.file_stem.removeprefix('ประชุม-ITA-')}.xlsx",
                   mime=tables.XLSX_MIME, icon=":material/table_view:", on_click="ignore", width="stretch")
