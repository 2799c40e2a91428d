"""ประชุมประจำเดือน: the monthly meeting's deck, shown one slide at a time at projector size with
previous/next (the slide number is in the URL), and the same deck as PPTX and PDF plus the measure
register as XLSX, each built only when its button is clicked. The content is exports/meeting.py's."""
import streamlit as st

from ita_data import palette, ui, views
from ita_data.exports import meeting, pdf, pptx, report, report_docx, report_pdf, tables
from ita_data.thai import first_of, month_label, thai_date


con, chosen = ui.start_page()
today = views.today()
months = meeting.month_options(chosen["plan_year"], today)
default_month = first_of(today) if first_of(today) in months else months[-1]
# the month always in the URL, this month's too: a link sent today opens the same deck next month
ui.follow_url("month", {m.isoformat(): m for m in months}, "เดือนที่ประชุม", default_month, month_label(default_month))
if st.session_state.get("month") not in months:
    st.session_state.month = default_month  # first visit, or another plan year chosen in the sidebar

# projector sizes for the slide's own elements (static CSS; the slide's text goes through Markdown)
st.html(f"<style>:root {{ --ita-title: {palette.TITLE}; --ita-header: {palette.HEADER}; }}</style>" """<style>
.st-key-slide_view h2 { font-size: 2.6rem; color: var(--ita-title); line-height: 1.35; }
.st-key-slide_cover { padding: 1.6rem 2.2rem; background: var(--ita-header); border-radius: 0.5rem; }
.st-key-slide_cover h1 { color: white; font-size: 2.5rem; line-height: 1.4; }
.st-key-slide_lines p { font-size: 1.45rem; line-height: 1.6; }
.st-key-slide_lines h3 { font-size: 2rem; color: var(--ita-title); }
.st-key-slide_view [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
.st-key-slide_view [data-testid="stTable"] td, .st-key-slide_view [data-testid="stTable"] th { font-size: 1.15rem; line-height: 1.5; }
@media (min-width: 641px) { .st-key-slide_chart_phone, .st-key-slide_table_phone { display: none !important; } }
@media (max-width: 640px) {  /* a phone: the slide at a phone's sizes, its headline numbers two to a row */
  .st-key-slide_chart_wide, .st-key-slide_table_wide { display: none !important; }
  .st-key-slide_view { border: none; padding: 0; }  /* the slide's frame: the phone's width to its charts */
  .st-key-slide_view h2 { font-size: 1.6rem; }
  .st-key-slide_cover { padding: 1rem 1.2rem; }
  .st-key-slide_cover h1 { font-size: 1.6rem; }
  .st-key-slide_lines p { font-size: 1.1rem; }
  .st-key-slide_lines h3 { font-size: 1.35rem; }
  .st-key-slide_view [data-testid="stTable"] td, .st-key-slide_view [data-testid="stTable"] th { font-size: 0.95rem; }
  .st-key-slide_view [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) { flex-wrap: wrap; }
  .st-key-slide_view [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) > [data-testid="stColumn"] {
    min-width: calc(50% - 0.5rem) !important; flex: 1 1 calc(50% - 0.5rem) !important; }
  .st-key-slide_view [data-testid="stMetricValue"] { font-size: 1.5rem; }
  .st-key-slide_view [data-testid="stMetricValue"] * { white-space: normal; overflow: visible; }
}
</style>""")

present = st.query_params.get("present") == "1"  # the presenter view: the slide alone, keys step
if present:  # Streamlit's header and sidebar, and the page's own controls, out of sight (constant CSS)
    st.html("""<style>
[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], .st-key-meeting_controls, .st-key-presenter_keys { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.8rem 1.5rem 0.4rem !important; max-width: none !important; }
.st-key-slide_view { min-height: calc(100vh - 5.2rem); }
.st-key-slide_view h2 { font-size: clamp(2rem, 3.2vw, 3.6rem); }
.st-key-slide_cover h1 { font-size: clamp(2.2rem, 3.4vw, 4rem); }
.st-key-slide_lines p { font-size: clamp(1.3rem, 1.9vw, 2.2rem); }
.st-key-slide_lines h3 { font-size: clamp(1.8rem, 2.6vw, 3rem); }
.st-key-slide_view [data-testid="stTable"] td, .st-key-slide_view [data-testid="stTable"] th { font-size: clamp(1.1rem, 1.25vw, 1.6rem); }
.st-key-slide_view [data-testid="stCaptionContainer"] p, .st-key-slide_view [data-testid="stAlert"] p { font-size: clamp(1.1rem, 1.2vw, 1.5rem); }
.st-key-slide_view [data-testid="stMetricLabel"] p { font-size: clamp(1rem, 1.1vw, 1.4rem); }
.st-key-slide_view [data-testid="stMetricValue"] { font-size: clamp(2rem, 2.6vw, 3.2rem); }
.st-key-slide_view > :last-child { margin-top: auto; }
.st-key-presenter_bar button { min-height: 2rem; padding: 0 0.8rem; }
</style>""")


def show(presenting: bool) -> None:
    """Into the presenter view (?present=1) or back to the page; the slide number stays in the URL."""
    if presenting:
        st.query_params["present"] = "1"
    else:
        del st.query_params["present"]


# the page's controls: in the presenter view they stay (hidden) so the month and slide stay in the URL
with st.container(key="meeting_controls"):
    st.title("ประชุมประจำเดือน")
    top = st.columns([2, 5], vertical_alignment="bottom")
    month = top[0].selectbox("เดือนที่ประชุม", months, key="month", format_func=month_label)
    st.query_params["month"] = st.session_state._url_month = month.isoformat()
    deck = ui.meeting_deck(chosen, month)
    top[1].caption(f"{ui.md_escape(chosen['organization'])} · ปีงบประมาณ {chosen['plan_year']} · ข้อมูล ณ วันที่ "
                   f"{thai_date(deck.meeting_date)} · การประชุมครั้งก่อน {thai_date(deck.previous_meeting)}")

    # ------------------------------------------------------------ navigation
    total = len(deck.slides)
    if not 1 <= st.session_state.get("slide", 1) <= total:
        st.session_state.slide = 1

    def step(delta: int) -> None:
        st.session_state.slide = min(max(1, st.session_state.get("slide", 1) + delta), total)

    nav = st.columns([1.4, 1.5, 1.4, 3.1, 1.7], vertical_alignment="bottom")
    # the arrow keys step slides here; in the presenter view its own buttons take them
    nav[0].button("ก่อนหน้า", icon=":material/arrow_back:", on_click=step, args=(-1,), key="previous_slide",
                  width="stretch", shortcut=None if present else "Left")
    number = nav[1].number_input("สไลด์", min_value=1, max_value=total, step=1, key="slide", bind="query-params")
    nav[2].button("ถัดไป", icon=":material/arrow_forward:", on_click=step, args=(1,), key="next_slide",
                  width="stretch", shortcut=None if present else "Right")
    nav[3].markdown(f"สไลด์ **{number}** จาก {total} · {ui.md_escape(deck.slides[number - 1].title)}")
    nav[4].button("นำเสนอเต็มจอ", icon=":material/slideshow:", on_click=show, args=(True,), key="start_presenting",
                  width="stretch", help="แสดงเฉพาะสไลด์ ไม่มีเมนูและแถบด้านข้าง: ลูกศรซ้าย/ขวา หรือ PageUp/PageDown "
                                        "เปลี่ยนสไลด์, Esc กลับหน้านี้; กด F11 ให้เบราว์เซอร์เต็มจอ")

# ---------------------------------------------------------------- the slide
slide = deck.slides[number - 1]
with st.container(border=True, key="slide_view"):
    if slide.kind == "cover":
        with st.container(key="slide_cover"):
            st.markdown(f"# {ui.md_escape(slide.title)}")
        with st.container(key="slide_lines"):
            for i, text in enumerate(slide.lines):  # agency and meeting month stand out
                if text:
                    st.markdown(f"### {ui.md_escape(text)}" if i in (0, 3) else ui.md_escape(text))
    else:
        st.markdown(f"## {ui.md_escape(slide.title)}")
        if slide.subtitle:
            st.caption(ui.md_escape(slide.subtitle))
        if slide.figure is not None and slide.phone_figure is None:
            st.plotly_chart(slide.figure, key=f"slide_chart_{number}", config={"displayModeBar": False})
        elif slide.figure is not None:  # the slide's chart on a wide screen, its phone version on a phone
            with st.container(key="slide_chart_wide"):
                st.plotly_chart(slide.figure, key=f"slide_chart_{number}", config={"displayModeBar": False})
            with st.container(key="slide_chart_phone"):
                st.plotly_chart(slide.phone_figure, key=f"slide_phone_chart_{number}",
                                config={"displayModeBar": False})
        if slide.facts:
            for column, fact in zip(st.columns(len(slide.facts)), slide.facts):
                column.metric(fact.label, fact.value, border=True)
        if slide.table is not None:
            if slide.table.empty:
                st.info(slide.empty, icon=":material/check_circle:")
            else:  # the slide's table on a wide screen, a block per row on a phone
                with st.container(key="slide_table_wide"):
                    st.table(meeting.screen_table(slide, ui.md_escape), hide_index=True)
                with st.container(key="slide_table_phone"):
                    for block in meeting.phone_rows(slide, ui.md_escape):
                        with st.container(border=True):
                            st.markdown(block)
        if slide.note:
            st.caption(ui.md_escape(slide.note))
    st.caption(f"{ui.md_escape(deck.footer)} · {number} / {total}")

if present:  # the presenter's own controls under the slide; keys: arrows, PageUp/PageDown (clickers), Esc
    with st.container(key="presenter_bar", horizontal=True, vertical_alignment="center"):
        st.button("ก่อนหน้า", icon=":material/arrow_back:", on_click=step, args=(-1,), key="presenter_previous",
                  shortcut="Left", type="tertiary")
        st.button("ถัดไป", icon=":material/arrow_forward:", on_click=step, args=(1,), key="presenter_next",
                  shortcut="Right", type="tertiary")
        st.button("ออกจากโหมดนำเสนอ", icon=":material/close_fullscreen:", on_click=show, args=(False,),
                  key="presenter_exit", shortcut="Esc", type="tertiary")
    with st.container(key="presenter_keys"):  # out of sight: a clicker's page keys
        st.button("ก่อนหน้า", on_click=step, args=(-1,), key="presenter_page_up", shortcut="PageUp")
        st.button("ถัดไป", on_click=step, args=(1,), key="presenter_page_down", shortcut="PageDown")
        st.button("ถัดไป", on_click=step, args=(1,), key="presenter_space", shortcut="Space")
        st.button("สไลด์แรก", on_click=step, args=(-total,), key="presenter_home", shortcut="Home")
        st.button("สไลด์สุดท้าย", on_click=step, args=(total,), key="presenter_end", shortcut="End")
    st.stop()

# ---------------------------------------------------------------- files
st.subheader("ดาวน์โหลด")
st.caption("ไฟล์สร้างเมื่อกดปุ่ม: สไลด์ใช้เวลาไม่กี่วินาที")
d1, d2, d3, _ = st.columns([1, 1, 1, 1])
d1.download_button("สไลด์ PowerPoint (PPTX)", lambda: pptx.deck_pptx(deck), file_name=f"{deck.file_stem}.pptx",
                   mime=pptx.PPTX_MIME, icon=":material/slideshow:", on_click="ignore", width="stretch")
d2.download_button("สไลด์ PDF", lambda: pdf.deck_pdf(deck), file_name=f"{deck.file_stem}.pdf",
                   mime=pdf.PDF_MIME, icon=":material/picture_as_pdf:", on_click="ignore", width="stretch")
d3.download_button("ทะเบียนมาตรการ (XLSX)", lambda: tables.measures_xlsx(deck.measures, deck.score_change),
                   file_name=f"ทะเบียนมาตรการ-{deck.file_stem.removeprefix('ประชุม-ITA-')}.xlsx",
                   mime=tables.XLSX_MIME, icon=":material/table_view:", on_click="ignore", width="stretch")

# ---------------------------------------------------------------- the year's report
st.subheader("รายงานประจำปี")
st.caption("รายงานตามแบบ: ตาราง 8 คอลัมน์ตามรายงานที่นำเข้า (นำเข้ากลับได้ครบ) · "
           "ผลการดำเนินงาน: สถานะ ร้อยละ บันทึกล่าสุด ผู้รายงาน สรุปรายตัวชี้วัดและรายหน่วยงาน ณ วันนี้")


def report_file(kind: str, suffix: str):
    """The report's bytes, built when its button is clicked."""
    def build() -> bytes:
        document = report.build(con, chosen["id"], kind, on=today)
        return (report_docx.report_docx if suffix == ".docx" else report_pdf.report_pdf)(document)
    return build


r1, r2, r3, r4 = st.columns(4)
for column, (label, kind, suffix, mime, icon) in zip((r1, r2, r3, r4), (
        ("รายงานตามแบบ (Word)", report.PLAN, ".docx", report_docx.DOCX_MIME, ":material/description:"),
        ("รายงานตามแบบ (PDF)", report.PLAN, ".pdf", report_pdf.PDF_MIME, ":material/picture_as_pdf:"),
        ("ผลการดำเนินงาน (Word)", report.RESULTS, ".docx", report_docx.DOCX_MIME, ":material/fact_check:"),
        ("ผลการดำเนินงาน (PDF)", report.RESULTS, ".pdf", report_pdf.PDF_MIME, ":material/picture_as_pdf:"))):
    column.download_button(label, report_file(kind, suffix),
                           file_name=report.file_stem(kind, chosen["organization"], chosen["plan_year"]) + suffix,
                           mime=mime, icon=icon, on_click="ignore", width="stretch", key=f"report_{kind}{suffix}")
