qy-score --print-rules > /dev/full
echo "status $?"
