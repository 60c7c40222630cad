module weft/go-oracle

go 1.19
