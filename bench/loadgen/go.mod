module podidentity.io/bench/loadgen

go 1.26
