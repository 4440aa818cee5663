# Several inputs: every header is read first; unknown columns in order of
# first appearance over all inputs; ids compared after normalisation across files.
cd "$TMP" || exit 99
printf 'demand_id,submitted,street,community,category,content,备注\nD1,2024-03-01,S,C,gov,x,n1\n' > a.csv
printf '编号;日期;街道;社区;类别;内容;来源;备注\nD2;2024-03-02;S;C;gov;y;电话;n2\n' > b.csv
printf 'demand_id\tsubmitted\tstreet\tcommunity\tcategory\tcontent\tz\nＤ１\t2024-03-03\tS\tC\tgov\tz\tzz\nD3\t2024-03-03\tS\tC\tgov\tz\tzz\n' > c.tsv
qy-ingest -t demand --stats a.csv - c.tsv < b.csv; echo "exit $?"
