"""ข้อมูล: upload a report or a score sheet, check what it holds and what it will change, confirm the
import; the imported assessments and score sheets; every data-quality warning; the blank template,
the blank score sheet and full backups."""
import streamlit as st

from ita_data import store, ui, views
from ita_data.store import users
from ita_data.exports import tables
from ita_data.importers import MAX_FILE_MB, MAX_ROWS, ReportError, is_score_file, read_any_bytes, read_bytes, too_large

con, _ = ui.start_page(needs_assessment=False)
st.title("ข้อมูล")

st.subheader("นำเข้ารายงาน")
st.caption("รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร: ไฟล์ข้อความ (.txt) Word (.docx) "
           "หรือแบบฟอร์ม (.csv .xlsx). นำเข้ารายงานเดิมซ้ำจะแทนที่ข้อมูลเดิมโดยเก็บสถานะและประวัติของมาตรการไว้. "
           "แผ่นคะแนน ITA ทั้งปี (.csv .xlsx: คะแนนรายข้อ รายตัวชี้วัด และคะแนนรวม) นำเข้าที่นี่ได้เช่นกัน "
           "นำเข้าปีเดิมซ้ำจะแทนที่คะแนนของปีนั้นโดยเก็บคะแนนเดิมไว้เป็นประวัติ")
done = st.session_state.pop("import_done", None)  # the import of the previous run, shown once
if done is not None:
    st.success(done["message"], icon=":material/check_circle:")
    params = ui.assessment_params(done["assessment_id"]) if done["assessment_id"] is not None else None
    if params:
        st.page_link("pages/scores.py", label=f"เปิด {ui.md_escape(params['org'])} ปีงบประมาณ {params['year']}",
                     icon=":material/open_in_new:", query_params=params)
# a new uploader after each import: the imported file is gone, so it cannot be confirmed twice;
# importing is an admin's (store.save_reports and store.scores.save_scores check it again)
may_import = ui.may(users.IMPORT)
if not may_import:
    st.info("นำเข้ารายงานและแผ่นคะแนนได้เฉพาะผู้ดูแลระบบ: เข้าสู่ระบบที่แถบด้านซ้าย", icon=":material/lock:")
upload = None if not may_import else st.file_uploader(
    "ไฟล์รายงาน หรือแผ่นคะแนน ITA", type=["txt", "docx", "csv", "xlsx"], max_upload_size=MAX_FILE_MB,
    help=f"ลากไฟล์มาวางในกรอบ หรือกดปุ่มในกรอบเพื่อเลือกไฟล์ ไม่เกิน {MAX_FILE_MB} MB (รายงานไม่เกิน {MAX_ROWS} แถว); "
         f"แผ่นคะแนน ITA ทั้งปี (.csv .xlsx) แยกจากรายงานด้วยหัวคอลัมน์",
    key=f"upload_{st.session_state.setdefault('imports_done', 0)}")

if upload is not None and upload.size > MAX_FILE_MB * 1024 * 1024:  # the browser checks it too: this is the server's word
    st.error(f"นำเข้าไม่ได้: {ui.md_escape(ReportError(upload.name, too_large(upload.size)))}", icon=":material/error:")
    upload = None

# ---------------------------------------------------------------- a score sheet: preview, then confirm
if upload is not None and is_score_file(upload.getvalue(), upload.name):
    try:
        sheet = read_any_bytes(upload.getvalue(), upload.name)
        score_plans = store.scores.plan_scores(con, [sheet])  # what the import will change; nothing written yet
    except ReportError as e:
        st.error(f"นำเข้าไม่ได้: {ui.md_escape(e)}", icon=":material/error:")
    else:
        with st.container(border=True, key="score_preview"):
            years = sorted({p.scores.assessed_year for p in score_plans})
            st.markdown(f"**แผ่นคะแนน ITA** · {len({p.organization_id or p.organization for p in score_plans}):,} "
                        f"หน่วยงาน · ปีที่ประเมิน {', '.join(map(str, years))} · "
                        f"{sum(len(p.scores.rows) for p in score_plans):,} คะแนน")
            st.dataframe(views.score_plans_frame(score_plans), hide_index=True)
            replaced = [p for p in score_plans if p.replaced]
            if replaced:
                st.warning(f"จะแทนที่คะแนนเดิม {len(replaced)} ชุด (หน่วยงานและปีที่มีคะแนนอยู่แล้ว): "
                           f"คะแนนเดิมเก็บไว้เป็นประวัติ ไม่ถูกลบ", icon=":material/sync:")
                changed = views.score_plan_changes_frame(replaced)
                with st.expander(f"คะแนนที่จะเปลี่ยน {len(changed)} รายการ", icon=":material/compare_arrows:"):
                    st.dataframe(changed, hide_index=True)
            for warning in sheet.warnings:
                st.warning(ui.md_escape(warning), icon=":material/report:")
            imported = st.session_state.setdefault("imported_files", set())
            if st.button("ยืนยันนำเข้าคะแนน", type="primary", icon=":material/upload:",
                         key=f"confirm_scores_{upload.file_id}", disabled=upload.file_id in imported):
                if upload.file_id in imported:  # a second click that raced the first one's rerun
                    st.info("นำเข้าไฟล์นี้แล้ว", icon=":material/check_circle:")
                    st.stop()
                try:
                    written = store.scores.save_scores(con, [sheet], imported_by=ui.current_user())
                except (ReportError, PermissionError) as e:  # the data changed since the preview, or who
                    st.error(f"นำเข้าไม่ได้: {ui.md_escape(e)}", icon=":material/error:")
                else:
                    imported.add(upload.file_id)
                    st.session_state.imports_done += 1
                    st.session_state.import_done = {
                        "assessment_id": None,
                        "message": f"นำเข้าคะแนนแล้ว: {len(written):,} ชุด (หน่วยงานและปี) · "
                                   f"แทนที่คะแนนเดิม {sum(p.replaced for p in written):,} ชุด"}
                    st.rerun()
    upload = None  # not a report: the report's preview below is not for it
if upload is not None:
    try:
        report = read_bytes(upload.getvalue(), upload.name)
        [plan] = store.plan_import(con, [report])  # what the import will change; nothing written yet
    except ReportError as e:
        st.error(f"นำเข้าไม่ได้: {ui.md_escape(e)}", icon=":material/error:")
    else:
        with st.container(border=True):
            st.markdown(f"**{ui.md_escape(report.organization)}** · อำเภอ{ui.md_escape(report.district or '-')} · "
                        f"จังหวัด{ui.md_escape(report.province or '-')}")
            st.text(f"ผลการประเมินปี {report.assessed_year} · มาตรการปีงบประมาณ {report.plan_year} · "
                    f"{len(report.findings)} ประเด็น · {sum(len(f.measures) for f in report.findings)} มาตรการ")
            where = "หน่วยงานใหม่" if plan.organization_id is None and plan.same_organization_as is None \
                else "หน่วยงานที่มีอยู่แล้ว"
            st.markdown(f"**{where}**: {ui.md_escape(plan.organization_note)}")
            if plan.replaced:
                st.warning("มีการประเมินนี้อยู่แล้ว: การนำเข้าจะแทนที่ประเด็นและมาตรการ "
                           "โดยเก็บสถานะและประวัติการรายงานไว้กับมาตรการเดิม", icon=":material/sync:")
            st.dataframe(views.report_preview(report), hide_index=True)
            st.markdown(f"**สิ่งที่จะเปลี่ยน** · {ui.md_escape(plan.summary())}")
            st.dataframe(views.import_changes_frame(plan), hide_index=True)
            for warning in plan.warnings:
                st.warning(ui.md_escape(warning), icon=":material/swap_horiz:")
            warnings = [(str(f.seq), w) for f in report.findings for w in f.warnings] + \
                       [("", w) for w in report.warnings]
            if warnings:
                with st.expander(f"คำเตือน {len(warnings)} รายการ (สิ่งที่โปรแกรมแก้ไขหรือพบว่าไม่ตรงกัน)",
                                 icon=":material/report:"):
                    st.dataframe([{"แถว": row, "คำเตือน": w} for row, w in warnings], hide_index=True)
            imported = st.session_state.setdefault("imported_files", set())
            if st.button("ยืนยันนำเข้า", type="primary", icon=":material/upload:", key=f"confirm_{upload.file_id}",
                         disabled=upload.file_id in imported):
                if upload.file_id in imported:  # a second click that raced the first one's rerun
                    st.info("นำเข้าไฟล์นี้แล้ว", icon=":material/check_circle:")
                    st.stop()
                try:
                    result = store.save_reports(con, [report], imported_by=ui.current_user())[0]
                except (ReportError, users.PermissionDenied) as e:  # the data changed since the preview; no right
                    st.error(f"นำเข้าไม่ได้: {ui.md_escape(e)}", icon=":material/error:")
                else:
                    imported.add(upload.file_id)
                    st.session_state.imports_done += 1
                    st.session_state.import_done = {
                        "assessment_id": result.assessment_id,
                        "message": f"{'แทนที่' if result.replaced else 'นำเข้า'}แล้ว: "
                                   f"{ui.md_escape(result.organization)} ปีงบประมาณ {result.plan_year} · "
                                   f"{result.findings} ประเด็น {result.measures} มาตรการ · "
                                   f"{ui.md_escape(result.plan.summary())}"}
                    st.rerun()  # the sidebar, the lists and every page see the new data at once

chosen = ui.current_assessment()
st.subheader("การประเมินในฐานข้อมูล")
items, organization_count = ui.listed_assessments(chosen)
if items:
    if organization_count > ui.MANY_ORGANIZATIONS:
        st.caption(f"{organization_count:,} หน่วยงานในฐานข้อมูล: แสดงเฉพาะ {ui.md_escape(chosen['organization'])}")
    st.dataframe(views.assessments_frame(items), hide_index=True)
else:
    st.info("ยังไม่มีข้อมูล", icon=":material/info:")

st.subheader("คะแนนทางการ (แผ่นคะแนน ITA)")
score_list = ui.score_imports(chosen)
if score_list.empty:
    st.caption("ยังไม่มีแผ่นคะแนน" + (f"ของ {ui.md_escape(chosen['organization'])}" if chosen else "") +
               ": นำเข้าแผ่นคะแนน ITA ทั้งปีด้านบน (ดาวน์โหลดแผ่นคะแนนเปล่าได้ด้านล่าง)")
else:
    if chosen:
        st.caption(f"แผ่นคะแนนของ {ui.md_escape(chosen['organization'])}: นำเข้าปีเดิมซ้ำ = แทนที่ คะแนนเดิมเก็บไว้เป็นประวัติ")
    st.dataframe(score_list, hide_index=True)

st.subheader("คำเตือนคุณภาพข้อมูล")
st.caption("สิ่งที่โปรแกรมแก้ไขระหว่างนำเข้า (สิ่งที่เขียนไว้ และสิ่งที่อ่านได้) และข้อมูลที่ไม่ตรงกันในรายงาน")
everyone = st.toggle("ทุกหน่วยงานและทุกปี", key="all_warnings", disabled=chosen is None) or chosen is None
if everyone:
    st.dataframe(ui.warning_counts(), hide_index=True)
    st.download_button("คำเตือนทั้งหมด (CSV)", lambda: tables.warnings_csv(con), file_name="ita-warnings.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore")
else:
    warnings_table = ui.assessment_warnings(chosen)
    if warnings_table.empty:
        st.caption("ไม่มีคำเตือน")
    else:
        ui.plain_table(warnings_table[["แถว", "คำเตือน"]], hide_index=True)

st.subheader("ดาวน์โหลด")
c1, c2, c3, c4 = st.columns(4)
c1.download_button("แบบฟอร์มเปล่า (XLSX)", lambda: tables.template_bytes(".xlsx"), file_name="แบบฟอร์มรายงาน-ITA.xlsx",
                   mime=tables.XLSX_MIME, icon=":material/description:", on_click="ignore")
c2.download_button("แบบฟอร์มเปล่า (CSV)", lambda: tables.template_bytes(".csv"), file_name="แบบฟอร์มรายงาน-ITA.csv",
                   mime="text/csv", icon=":material/description:", on_click="ignore")
if ui.may(users.BACKUP):  # the whole database: an admin's (tables.backup_* check it again)
    me = ui.current_user()
    c3.download_button("สำรองข้อมูล (JSON)", lambda: tables.backup_json(con, by=me), file_name="ita-backup.json",
                       mime="application/json", icon=":material/backup:", on_click="ignore")
    c4.download_button("สำรองข้อมูล (XLSX)", lambda: tables.backup_xlsx(con, by=me), file_name="ita-backup.xlsx",
                       mime=tables.XLSX_MIME, icon=":material/backup_table:", on_click="ignore")
s1, s2, _, _ = st.columns(4)
s1.download_button("แผ่นคะแนนเปล่า (XLSX)", lambda: tables.score_template_bytes(".xlsx"),
                   file_name="แผ่นคะแนน-ITA.xlsx", mime=tables.XLSX_MIME, icon=":material/table_chart:",
                   on_click="ignore")
s2.download_button("แผ่นคะแนนเปล่า (CSV)", lambda: tables.score_template_bytes(".csv"),
                   file_name="แผ่นคะแนน-ITA.csv", mime="text/csv", icon=":material/table_chart:", on_click="ignore")
