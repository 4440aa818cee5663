# The rejects file, fixed, ingests again: same columns as the first output,
# the source/line/column/reason columns and empty extra_N dropped, escapes undone.
cd "$TMP" || exit 99
printf '*需求编号（必填）,提交日期,街道,社区,类别,内容,备注\n' > in.csv
printf 'D1,2024-03-01,S,C,gov,ok,\n' >> in.csv
printf 'D2,2024-02-30,S,C,gov,"two\nlines",x\n' >> in.csv
printf 'D3,2024-03-01,S,C,gov,ok,"q""q" a\\b\n' >> in.csv
printf 'D4,2024-03-01,S,C,gov,ok,t,extra\n' >> in.csv
qy-ingest -t demand -r rej.tsv in.csv > out.tsv; echo "exit $?"
echo "== rejects"; cat rej.tsv
# Fix the date; leave the surplus field: still rejected.
sed "s/2024-02-30/2024-03-01/g" rej.tsv > fixed.tsv
qy-ingest -t demand -r rej2.tsv fixed.tsv > again.tsv; echo "exit $?"
echo "== rejects again"; cat rej2.tsv
# Drop the surplus field too: everything in.
sed 's/\textra$/\t/' rej2.tsv > fixed2.tsv
qy-ingest -t demand fixed2.tsv > again2.tsv; echo "exit $?"
tail -n +2 again.tsv >> out.tsv
tail -n +2 again2.tsv >> out.tsv
echo "== all"; cat out.tsv
