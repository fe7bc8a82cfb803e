library(testthat)
library(contrastiveSC)

test_check("contrastiveSC")
