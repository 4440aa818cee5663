# A failed write is fatal: exit 2 with a message.
printf 'a,b\n1,2\n' | qy-ingest -t raw > /dev/full
echo "exit $?"
