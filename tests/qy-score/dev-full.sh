# A full disk is fatal: exit 2 with a message, nothing half-written.
qy-score --level member --month 2024-06 -m members.tsv act.tsv > /dev/full
echo "status $?"
