# Checks the built site (tools/site.sh): each checked page exists, holds
# text, renders to a screenshot that is not blank, and every image it shows
# is a file of the site (pkgdown writes figures next to the page) that is
# not empty; the vignette must show its figures. Ends with
# "site: N passed, N failed"; exits 1 on a failure.
args <- commandArgs(trailingOnly = TRUE)
site <- if (length(args)) args[[1]] else "docs"
passed <- 0L
failed <- 0L
check <- function(ok, what) {
    if (isTRUE(ok)) passed <<- passed + 1L else {
        failed <<- failed + 1L
        message("FAILED: ", what)
    }
}
pages <- list(index = list(html = "index.html", min.images = 1L),
    contrastiveSC = list(html = "articles/contrastiveSC.html",
        min.images = 5L),
    benchmarks = list(html = "articles/benchmarks.html", min.images = 1L))
for (name in names(pages)) {
    page <- pages[[name]]
    path <- file.path(site, page$html)
    check(file.exists(path), paste(page$html, "exists"))
    if (!file.exists(path)) next
    html <- paste(readLines(path, warn = FALSE), collapse = "\n")
    text <- gsub("<[^>]+>", " ", gsub("(?s)<(script|style)[^>]*>.*?</\\1>",
        " ", html, perl = TRUE))
    words <- length(strsplit(trimws(text), "\\s+")[[1]])
    check(words > 200, sprintf("%s holds text (%d words)", page$html, words))
    src <- regmatches(html, gregexpr("<img[^>]+src=\"[^\"]+\"", html))[[1]]
    src <- sub(".*src=\"([^\"]+)\"", "\\1", src)
    local <- src[!grepl("^(https?:|data:)", src)]
    check(length(local) >= page$min.images, sprintf(
        "%s shows at least %d figure(s) (%d)", page$html, page$min.images,
        length(local)))
    files <- file.path(dirname(path), utils::URLdecode(local))
    present <- file.exists(files) & file.size(files) > 1000
    check(all(present), sprintf("%s: figure files present (missing: %s)",
        page$html, paste(local[!present], collapse = ", ")))
    shot <- file.path(site, "screenshots", paste0(name, ".png"))
    if (name %in% c("index", "contrastiveSC")) {
        check(file.exists(shot), paste(shot, "was rendered"))
        if (file.exists(shot)) {
            img <- png::readPNG(shot)
            grey <- if (length(dim(img)) == 3) rowMeans(img[, , 1:3, drop = FALSE],
                dims = 2) else img
            # a blank page is one colour; a page with text and figures is not
            check(stats::sd(grey) > 0.02 && mean(grey < 0.9) > 0.01,
                sprintf("%s is not blank (sd %.3f)", shot, stats::sd(grey)))
        }
    }
}
# Every page of the site: each local link leads to a file of the site (the
# README's links into bench/results/ among them), and no text shows a raw
# formula (no maths renderer is loaded offline, so TeX would show as typed).
html.files <- list.files(site, pattern = "[.]html$", recursive = TRUE,
    full.names = TRUE)
html.files <- html.files[!grepl("^(screenshots|deps)/", sub(paste0("^", site,
    "/"), "", html.files))]
dead <- character()
raw.tex <- character()
for (path in html.files) {
    page <- sub(paste0("^", site, "/"), "", path)
    html <- paste(readLines(path, warn = FALSE), collapse = "\n")
    href <- regmatches(html, gregexpr("href=\"[^\"]*\"", html))[[1]]
    href <- sub("^href=\"([^\"]*)\"$", "\\1", href)
    href <- sub("[?#].*$", "", href)
    local <- unique(href[nzchar(href) &
        !grepl("^([a-z]+:|//)", href)])
    target <- file.path(dirname(path), utils::URLdecode(local))
    missing <- local[!file.exists(target)]
    if (length(missing)) {
        dead <- c(dead, sprintf("%s -> %s", page, missing))
    }
    text <- gsub("<[^>]+>", " ", gsub("(?s)<(script|style|pre|code)[^>]*>.*?</\\1>",
        " ", html, perl = TRUE))
    if (grepl("\\\\[(\\[]|\\\\(log|frac|sum|eqn|deqn)\\b", text, perl = TRUE)) {
        raw.tex <- c(raw.tex, page)
    }
}
check(length(dead) == 0L, sprintf("%d pages: every local link leads to a file (dead: %s)",
    length(html.files), toString(utils::head(dead, 10L))))
check(length(raw.tex) == 0L, sprintf("no page shows a raw formula (found in: %s)",
    toString(raw.tex)))
cat(sprintf("site: %d passed, %d failed\n", passed, failed))
if (failed > 0) quit(status = 1)
