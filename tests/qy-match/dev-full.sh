# A full disk is fatal: exit 2 with a message.
qy-match -r res-tiers.tsv --as-of 2024-06-30 dem-tiers.tsv > /dev/full
echo "status $?"
