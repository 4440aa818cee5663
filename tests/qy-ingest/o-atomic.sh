# -o FILE: written atomically; a fatal error leaves neither FILE nor a temporary file.
mkdir "$TMP/d" && cd "$TMP/d" || exit 99
printf '编号,提交日期,街道,社区,类别,内容\nD1,2024-01-01,S,C,gov,x\n' > ok.csv
qy-ingest -t demand -o out.tsv ok.csv; echo "exit $?"
cat out.tsv
printf '编号,提交日期,街道,社区,类别,内容,\nD1,2024-01-01,S,C,gov,x,\nD2,2024-01-01,S,C,gov,x,oops\n' > bad.csv
qy-ingest -t demand -o bad.tsv -r rej.tsv bad.csv; echo "exit $?"
ls
printf '编号,提交日期,社区\n' > worse.csv
qy-ingest -t demand -o out.tsv worse.csv; echo "exit $?"
echo "out.tsv still the old one:"; cat out.tsv
ls
