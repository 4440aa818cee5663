# A GB18030 export with a Chinese header, found by -e auto and named with -e gb18030.
cd "$TMP" || exit 99
printf '*需求编号（必填）,提交日期,街道,社区,类别,内容\nD1,2024年3月1日,凤凰街道,四平路社区,生活服务,助餐𠀀\n' | iconv -f UTF-8 -t GB18030 > gb.csv
qy-ingest -t demand gb.csv; echo "exit $?"
qy-ingest -t demand -e gb18030 < gb.csv | tail -n 1; echo "exit $?"
qy-ingest -t demand -e utf-8 < gb.csv; echo "exit $?"
