"""ภาพรวมคะแนน: question and indicator scores with their gaps to 100, the pass mark and grade bands,
headline cards (the official ITA score where a score sheet gives it), and the detail of the chosen
finding; with the assessed year's score sheet, every question of the sheet by indicator (a choice
kept in the URL, the report's questions marked); or, as a second view, the year over year: the plan's assessed year against the next, per
question and indicator, with the plan's measures, the questions that fell first, and the trend."""
import streamlit as st

from ita_data import framework, ui, views
from ita_data.thai import thai_date

con, chosen = ui.start_page()
base = ui.assessment_data(chosen)
findings, measures = base.findings, base.measures

st.title("ภาพรวมคะแนน ITA")
st.caption(f"{ui.md_escape(chosen['organization'])} · ผลการประเมินปี {chosen['assessed_year']} · "
           f"มาตรการปีงบประมาณ {chosen['plan_year']}")
if findings.empty:
    st.info("การประเมินนี้ยังไม่มีประเด็น", icon=":material/info:")
    st.stop()

data = ui.scores_data(chosen)
cards = data.summary


def show_weakest() -> None:
    st.session_state.score_level = "question"
    st.session_state.score_pick_finding = cards["lowest_id"]
    st.session_state.scroll_to_detail = True


# ---------------------------------------------------------------- which view: this year, year over year, trend
year_n, year_next = chosen["assessed_year"], chosen["assessed_year"] + 1
VIEWS = {"gap": "คะแนนและช่องว่าง", "change": "ผลของมาตรการ (ปีต่อปี)", "trend": "แนวโน้มทุกปี"}
view = ui.url_segmented("มุมมอง", VIEWS, "score_view", "gap")  # the words stay whatever the year: links keep working
if view == "change":
    change = ui.score_change_data(chosen)
    st.subheader(f"มาตรการได้ผลหรือไม่: คะแนนปี {year_n} (ปีที่แผนมาจาก) เทียบกับปี {year_next}")
    if not change.has_after:
        st.info(f"ยังไม่มีคะแนนปี {year_next}: นำเข้าแผ่นคะแนน ITA ปี {year_next} ที่หน้า ข้อมูล "
                f"แล้วหน้านี้จะแสดงคะแนนทั้งสองปีเทียบกันพร้อมมาตรการที่ทำแล้ว", icon=":material/info:")
        if "sheet" in data.charts:  # this year's every question is there already
            st.markdown(f"คะแนนทุกข้อคำถามของปี {year_n} จากแผ่นคะแนน ({len(data.charts['sheet'].frame)} ข้อ) "
                        f"ดูได้ที่มุมมอง **{VIEWS['gap']}** › **ทุกข้อคำถามจากแผ่นคะแนน**")
        st.page_link("pages/data.py", label="ไปหน้าข้อมูล", icon=":material/upload_file:")
        st.stop()
    counts = change.counts
    top = st.columns(4)
    if change.overall_after is None:
        top[0].metric(f"ITA รวม ปี {year_next}", "-", help="แผ่นคะแนนไม่มีคะแนนรวม", border=True)
    else:
        top[0].metric(f"ITA รวม ปี {year_next}", f"{change.overall_after:.2f}", border=True,
                      delta=None if change.overall_before is None else
                      f"{change.overall_after - change.overall_before:+.2f} จาก {change.overall_before:.2f}",
                      delta_color="normal" if change.overall_before is not None and
                      abs(change.overall_after - change.overall_before) > views.CHANGE_EPSILON else "off")
    top[1].metric("ข้อที่คะแนนลดลง", f"{counts['down']} ข้อ", border=True,
                  delta=f"ในแผน {change.plan_counts['down']} ข้อ", delta_color="inverse" if counts["down"] else "off",
                  delta_arrow="off")
    top[2].metric("ข้อที่คะแนนดีขึ้น", f"{counts['up']} ข้อ", border=True,
                  delta=f"ในแผน {change.plan_counts['up']} ข้อ · เท่าเดิม {counts['same']}", delta_color="off",
                  delta_arrow="off")
    top[3].metric("มาตรการที่เสร็จ", f"{change.measures_done} จาก {change.measures_active}", border=True,
                  help="มาตรการของแผนนี้ที่เสร็จแล้ว ไม่นับที่ยกเลิก")

    fallen = change.fallen
    if len(fallen):
        st.markdown(f"##### :red[ข้อที่คะแนนลดลง {len(fallen)} ข้อ] (เรียงจากที่ลดลงมากที่สุด)")
        for row in fallen.itertuples(index=False):  # one block each: the question, its scores, its measures
            measures_text = ("  \n".join(ui.md_escape(line) for line in row.measure_lines) if row.measures
                             else ":gray[ไม่มีมาตรการในแผนสำหรับข้อนี้]")
            st.markdown(f"**:red[{ui.md_escape(row.label)}]** · {row.before:.2f} → {row.after:.2f} "
                        f"(:red[{row.change:+.2f}])" + (f" · มาตรการเสร็จ {row.done} จาก {row.measures}"
                                                       if row.measures else "") + f"  \n{measures_text}")
    else:
        st.success("ไม่มีข้อคำถามที่คะแนนลดลง", icon=":material/check_circle:")

    change_level = st.segmented_control("ระดับ", ["question", "indicator"], default="question",
                                        key="change_level", bind="query-params",
                                        format_func={"question": "รายข้อคำถาม", "indicator": "รายตัวชี้วัด"}.get)
    change_level = change_level or "question"
    frame = change.questions if change_level == "question" else change.indicators
    scope = "plan"
    if change_level == "question":
        every = st.toggle(f"ทุกข้อคำถาม ({len(frame)} ข้อ)", key="change_all",
                          help="ปิดอยู่: เฉพาะข้อในแผนและข้อที่คะแนนลดลง")
        scope = "all" if every else "plan"
        frame = views.change_shown(frame, scope)
    st.plotly_chart(change.figures[(change_level, scope)], key=f"change_chart_{change_level}_{scope}",
                    config={"displayModeBar": False})
    sources = set(frame["before_source"].dropna()) | set(frame["after_source"].dropna())
    st.caption(("คะแนนทางการจากแผ่นคะแนนที่นำเข้า" if sources <= {views.OFFICIAL} else
                "คะแนนทางการจากแผ่นคะแนน ยกเว้นที่วงเล็บบอกไว้: คะแนนตามรายงาน (ปีที่ไม่มีแผ่นคะแนน) "
                "หรือเฉลี่ยจากข้อคำถาม (แผ่นคะแนนไม่มีคะแนนของตัวชี้วัด)")
               + " · ▲ ดีขึ้น ▼ ลดลง · มาตรการเสร็จ = เสร็จแล้ว/ทั้งหมดในแผน (ไม่นับที่ยกเลิก)")
    st.dataframe(change.tables[(change_level, scope)], hide_index=True, key=f"change_table_{change_level}")
    st.stop()

if view == "trend":
    change = ui.score_change_data(chosen)
    st.subheader("แนวโน้มคะแนนทุกปีที่มีแผ่นคะแนน")
    if change.trend.empty:
        st.info("ยังไม่มีคะแนนทางการของหน่วยงานนี้: นำเข้าแผ่นคะแนนที่หน้า ข้อมูล", icon=":material/info:")
        st.page_link("pages/data.py", label="ไปหน้าข้อมูล", icon=":material/upload_file:")
        st.stop()
    names = dict(zip(change.trend["series_no"], change.trend["series"]))
    options = [no for no in sorted(names) if no]
    fell = [int(no) for no in change.indicators.loc[change.indicators["direction"] == views.DOWN, "indicator_no"]]
    picks = st.pills("ตัวชี้วัดที่แสดงเทียบกับคะแนนรวม", options, selection_mode="multi",
                     default=[no for no in fell if no in options], key="trend_series", format_func=names.get)
    st.plotly_chart(ui.score_trend_figure(chosen, (0, *sorted(picks or ()))), key="trend_chart",
                    config={"displayModeBar": False})
    st.dataframe(change.trend_table, hide_index=True, key="trend_table")
    st.caption(f"ตัวชี้วัดที่เลือกไว้ตอนเปิด = ตัวชี้วัดที่คะแนนปี {year_next} ต่ำกว่าปี {year_n}"
               + (" · * เฉลี่ยจากข้อคำถาม (แผ่นคะแนนปีนั้นไม่มีคะแนนทางการของตัวชี้วัด)"
                  if (change.trend["source"] != views.OFFICIAL).any() else ""))
    st.stop()

# ---------------------------------------------------------------- the executive strip
# four across on a wide screen; two by two where four would leave a card under 200 px (a laptop with
# the sidebar, a tablet); one under the other on a phone. Sized by the strip's own width (static CSS).
st.html("""<style>
[data-testid="stHorizontalBlock"]:has(.st-key-strip_overall) {
  container-type: inline-size; flex-wrap: wrap; }
@container (max-width: 860px) {
  [data-testid="stColumn"]:has(.st-key-strip_overall, .st-key-strip_below, .st-key-strip_measures, .st-key-strip_weakest) {
    flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important; } }
@container (max-width: 480px) {
  [data-testid="stColumn"]:has(.st-key-strip_overall, .st-key-strip_below, .st-key-strip_measures, .st-key-strip_weakest) {
    flex: 1 1 100% !important; min-width: 100% !important; } }
</style>""")
strip = st.columns(4)
with strip[0].container(border=True, height="stretch", key="strip_overall"):
    if cards["official_overall"] is not None:  # the year's score sheet gives the official score
        st.caption(f"คะแนน ITA ปี {cards['official_year']} (คะแนนทางการ)")
        overall = f"{cards['official_overall']:.2f} (ระดับ\u00a0{cards['official_grade']})"  # kept together
        st.markdown(f"#### {overall if cards['official_overall'] >= framework.PASS_MARK else f':red[{overall}]'}")
        st.caption("จากแผ่นคะแนนที่นำเข้า" + (f" · เฉลี่ยข้อที่รายงาน {cards['mean_score']:.2f}"
                                              if cards["mean_score"] is not None else ""))
    else:
        st.caption("คะแนนเฉลี่ยข้อที่รายงาน")
        st.markdown("#### -" if cards["mean_score"] is None  # the grade's words kept together on a narrow card
                    else f"#### {cards['mean_score']:.2f} (ระดับ\u00a0{cards['mean_grade']})")
        st.caption(f"เฉลี่ยจาก {cards['scored']} ข้อคำถามในรายงาน ไม่ใช่คะแนน ITA รวมทางการ")
with strip[1].container(border=True, height="stretch", key="strip_below"):
    if cards["official_indicators"]:  # the sheet's indicator scores decide; the report's questions below them
        below = cards["official_below"]
        st.caption(f"ตัวชี้วัดที่ต่ำกว่าเกณฑ์ผ่าน {framework.PASS_MARK:g} (คะแนนทางการ)")
        if below:
            st.markdown(f"#### :red[{len(below)} ตัวชี้วัด]")
            st.markdown("  \n".join(f":red[{ui.md_escape(label)} {score:.2f}]" for label, score in below[:3]) +
                        (f"  \nและอีก {len(below) - 3} ตัวชี้วัด" if len(below) > 3 else ""))
        else:
            st.markdown("#### :green[ไม่มี]")
        st.caption(f"ข้อคำถามในรายงานที่ต่ำกว่า {framework.PASS_MARK:g}: {cards['below_pass']} ข้อ")
    elif cards["below_pass"]:
        st.caption(f"ข้อที่ต่ำกว่าเกณฑ์ผ่าน {framework.PASS_MARK:g}")
        st.markdown(f"#### :red[{cards['below_pass']} ข้อ]")
        st.markdown("  \n".join(f":red[{ui.md_escape(label)}]" for label in cards["below_pass_labels"][:3]) +
                    (f"  \nและอีก {cards['below_pass'] - 3} ข้อ" if cards["below_pass"] > 3 else ""))
    else:
        st.caption(f"ข้อที่ต่ำกว่าเกณฑ์ผ่าน {framework.PASS_MARK:g}")
        st.markdown("#### :green[ไม่มี]")
        st.caption(f"ทุกข้อที่รายงานได้ {framework.PASS_MARK:g} ขึ้นไป")
with strip[2].container(border=True, height="stretch", key="strip_measures"):
    st.caption("มาตรการ (ไม่นับที่ยกเลิก)")
    st.markdown(f"#### เสร็จ {cards['done']} จาก {cards['active']}")
    st.markdown(f":blue[กำลังดำเนินการ {cards['in_progress']}]  \n" +
                (f":red[**เกินกำหนด {cards['overdue']}**]" if cards["overdue"] else ":green[ไม่มีที่เกินกำหนด]") +
                f"  \nยังไม่เริ่ม {cards['not_started']}")
with strip[3].container(border=True, height="stretch", key="strip_weakest"):
    st.caption("ข้อคำถามในรายงานที่คะแนนต่ำสุด" if cards["official_indicators"] else "ข้อที่คะแนนต่ำสุด")
    if cards["lowest_id"] is None:
        st.markdown("#### -")
    else:
        score_text = f"{cards['lowest_score']:.2f}"
        if cards["lowest_score"] < framework.PASS_MARK:
            score_text = f":red[{score_text}]"
        st.markdown(f"#### {score_text}")
        st.markdown(f"{ui.md_escape(cards['lowest_label'])}  \nห่างจาก 100 = {cards['largest_gap']:.2f}")
        st.button("ดูรายละเอียด", icon=":material/arrow_downward:", on_click=show_weakest, type="tertiary",
                  key="show_weakest")

level = ui.url_segmented("ระดับ", {"question": "รายข้อคำถาม", "indicator": "รายตัวชี้วัด"}, "score_level", "question")
sheet = data.charts.get("sheet")  # every question of the assessed year's score sheet, when imported
if level == "question" and sheet is not None:
    questions = st.segmented_control(
        "ข้อคำถาม", ["report", "sheet"], default="report", key="score_questions", bind="query-params",
        format_func={"report": "ข้อคำถามในรายงาน", "sheet": "ทุกข้อคำถามจากแผ่นคะแนน"}.get)  # fixed: links keep working
    if questions == "sheet":
        level = "sheet"
chart = data.charts[level]
event = st.plotly_chart(chart.figure, key=f"score_chart_{level}", on_select="rerun",
                        selection_mode="points", config={"displayModeBar": False})
if level == "sheet":
    st.caption(f"คะแนนรายข้อคำถามทุกข้อ ({len(chart.frame)} ข้อ) = คะแนนทางการปี {year_n} จากแผ่นคะแนนที่นำเข้า "
               f"({ui.md_escape(data.official.source_file or '')}) เรียงตามตัวชี้วัด · "
               f"{views.IN_REPORT_MARK} = ข้อที่รายงานเลือกไว้ ({int(chart.frame['in_report'].sum())} ข้อ)")
elif level == "indicator" and data.official is not None and data.official.indicators:
    st.caption(f"คะแนนรายตัวชี้วัด = คะแนนทางการปี {year_n} จากแผ่นคะแนนที่นำเข้า"
               + (" · ตัวชี้วัดที่ไม่มีคะแนนทางการ = ค่าเฉลี่ยของข้อคำถามที่รายงานไว้ (ระบุไว้ท้ายชื่อ)"
                  if (chart.frame["source"] != views.OFFICIAL).any() else ""))
elif level == "indicator":
    st.caption("คะแนนรายตัวชี้วัด = ค่าเฉลี่ยของข้อคำถามที่รายงานไว้ในตัวชี้วัดนั้น "
               "(รายงานระบุคะแนนรายข้อคำถาม ไม่ใช่คะแนนทางการของตัวชี้วัด)")
st.caption("คลิกแท่งกราฟเพื่อดูรายละเอียด หรือเลือกจากรายการด้านล่าง")

# the finding chosen by a click on the chart or in the list
picked = [p.get("customdata") for p in (event.selection.points if event else [])]
picked = [c[0] if isinstance(c, (list, tuple)) else c for c in picked if c is not None]
# the findings shown in detail: one question, or every question of one indicator
noun, key = {"indicator_no": ("ตัวชี้วัด", "score_pick_indicator"), "id": ("ประเด็น", "score_pick_finding"),
             "question_code": ("ข้อคำถาม", "score_pick_question")}[chart.pick_column]
if picked:
    st.session_state[key] = picked[0] if chart.pick_column == "question_code" else int(picked[0])
    st.session_state.scroll_to_detail = True
choice = st.selectbox(noun, chart.pick_options, index=None, key=key, format_func=chart.pick_labels.get,
                      placeholder=f"เลือก{noun}")
shown = findings[findings[chart.pick_column] == choice] if choice else findings.iloc[0:0]
if choice and shown.empty and level == "sheet":  # a question of the sheet the report did not take up
    code_score = data.official.questions[choice][1]
    st.info(f"{ui.md_escape(chart.pick_labels[choice])}: คะแนนทางการ {code_score:.2f} "
            f"(ระดับ {framework.grade(code_score)}) · รายงานไม่ได้เลือกข้อนี้ จึงไม่มีผลการวิเคราะห์และมาตรการ",
            icon=":material/info:")
elif choice and shown.empty:  # an indicator the official scores have but the report picked no question of
    st.info("รายงานไม่มีประเด็นในตัวชี้วัดนี้ (แสดงเฉพาะคะแนนทางการ)", icon=":material/info:")

detail = st.container(key="score_detail")
for finding in shown.itertuples():
    with detail.container(border=True):
        st.subheader(f"{finding.seq}. {ui.md_escape(finding.indicator)} · {ui.md_escape(finding.question_code or '')}")
        score_text = "ไม่ระบุ" if finding.score != finding.score else f"{finding.score:.2f} (ระดับ {finding.grade})"
        st.markdown(f"**คะแนน:** {score_text}")
        st.markdown("**ข้อคำถาม**")
        st.text(finding.question)
        left, right = st.columns(2)
        with left:
            st.markdown("**ผลการวิเคราะห์**")
            st.text(finding.analysis)
        with right:
            st.markdown("**ความสอดคล้องของมาตรการกับตัวชี้วัด**")
            st.text(finding.rationale)
        st.markdown("**มาตรการ**")
        ui.plain_table(views.finding_measure_table(measures, finding.id), hide_index=True)
        st.markdown("**ขั้นตอน/วิธีการดำเนินการ**")
        st.text("\n".join(f"{i}. {step}" for i, step in enumerate(finding.steps, start=1)) or "-")
        st.markdown(f"**ระยะเวลา:** {thai_date(finding.period_start)} ถึง {thai_date(finding.period_end)} "
                    f"(ตามรายงาน: {ui.md_escape(finding.period_text)})" if finding.period_start else
                    f"**ระยะเวลา:** {ui.md_escape(finding.period_text or 'ไม่ระบุ')}")
        st.markdown("**ผู้รับผิดชอบ:** " + ui.md_escape(", ".join(finding.divisions) or "ไม่ระบุ"))
        if len(finding.warnings):
            with st.expander(f"คำเตือนจากการนำเข้า ({len(finding.warnings)})", icon=":material/report:"):
                for w in finding.warnings:
                    st.text(f"• {w}")
if st.session_state.pop("scroll_to_detail", False) and len(shown):
    ui.scroll_into_view("score_detail")
