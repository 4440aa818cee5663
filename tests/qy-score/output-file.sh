# -o FILE: written atomically; a failed run leaves no file behind.
d=$TMP/o
mkdir "$d"
qy-score --level member --month 2024-06 -m members.tsv -o "$d/scores.tsv" act.tsv
echo "status $?"
qy-score --level member --month 2024-06 -m members.tsv act.tsv | cmp - "$d/scores.tsv" && echo "same as stdout"
qy-score --level member --month 2024-06 -R rules-bad-per.tsv -o "$d/failed.tsv" act.tsv
echo "status $?"
qy-score --level member --month 2024-06 -m members.tsv -o "$d/scores.tsv" no-such-file.tsv
echo "status $?"
ls "$d"
cmp -s "$d/scores.tsv" member.out && echo "old file intact"
