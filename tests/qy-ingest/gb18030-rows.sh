# GB18030 rows checked whole: a tab and a backslash to escape, a control
# character, a byte that is no GB18030, and fine rows between them.
cd "$TMP" || exit 99
{
	printf '需求编号,提交日期,街道,社区,类别,内容\n'
	printf 'D1,2024-03-01,凤凰街道,四平路社区,生活服务,"助餐\t上门 C:\\\\路"\n'
	printf 'D2,2024-03-01,凤凰街道,四平路社区,生活服务,助餐\001送餐\n'
	printf 'D3,2024-03-01,凤凰街道,四平路社区,生活服务,理发\n'
} | iconv -f UTF-8 -t GB18030 > gb.csv
printf 'D4,2024-03-01,S,C,life,\201\060x\n' >> gb.csv
printf 'D5,2024-03-01,S,C,life,ok\n' >> gb.csv
qy-ingest -t demand -e gb18030 -r rej.tsv gb.csv; echo "exit $?"
cat rej.tsv
