"""หน่วยงานรับผิดชอบ: what each division carries (findings, measures by status, steps, overdue) and
a division-by-indicator heatmap; each division links to its measures."""
import streamlit as st

from ita_data import ui

con, chosen = ui.start_page()
data = ui.divisions_data(chosen)

st.title("หน่วยงานรับผิดชอบ")
st.caption(f"{ui.md_escape(chosen['organization'])} · ปีงบประมาณ {chosen['plan_year']}")
if data.workload.empty:
    st.info("ยังไม่มีหน่วยงานรับผิดชอบในการประเมินนี้", icon=":material/info:")
    st.stop()

st.plotly_chart(data.workload_figure, key="workload_chart",
                config={"displayModeBar": False})

st.subheader("ภาระงานรายหน่วยงาน")
for row in data.workload.itertuples():
    with st.container(border=True):
        name, stats, link = st.columns([3, 5, 2], vertical_alignment="center")
        name.markdown(f"**{ui.md_escape(row.division)}**")
        stats.text(f"{row.findings} ประเด็น · {row.measures} มาตรการ · {row.steps} ขั้นตอน · "
                   f"เสร็จ {row.done} · กำลังทำ {row.in_progress} · เกินกำหนด {row.overdue}")
        link.page_link("pages/measures.py", label="ดูมาตรการ", icon=":material/arrow_forward:",
                       query_params={"div": row.division, **ui.selection_params(chosen)})

st.subheader("หน่วยงาน × ตัวชี้วัด (จำนวนมาตรการ)")
st.plotly_chart(data.heatmap, key="heatmap",
                config={"displayModeBar": False})
if data.heatmap_indicators:
    st.caption("เลขหัวคอลัมน์คือตัวชี้วัด: " + " · ".join(ui.md_escape(name) for name in data.heatmap_indicators))
