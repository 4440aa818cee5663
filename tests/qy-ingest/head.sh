# A closed pipe ends the program quietly (no message; no "write error").
awk 'BEGIN { print "a,b"; for (i = 0; i < 200000; i++) print i ",x" }' |
	qy-ingest -t raw | head -n 1
