/*
 * The baseline for `impact validate`: a bare libcsv pass over a CSV file, reading it in 64 KiB chunks
 * and counting fields and rows, with nothing else done per cell. Built and run by Benchmarks/run.
 *
 *   cc -O2 -o csvpass Benchmarks/csvpass.c -lcsv && ./csvpass file.csv
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

struct counts {
    size_t fields;
    size_t rows;
    size_t bytes;
};

static void on_field(void *data, size_t length, void *state) {
    struct counts *counts = state;
    (void)data;
    counts->fields += 1;
    counts->bytes += length;
}

static void on_row(int terminator, void *state) {
    struct counts *counts = state;
    (void)terminator;
    counts->rows += 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: csvpass FILE.csv\n");
        return 2;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file) {
        perror(argv[1]);
        return 2;
    }
    struct csv_parser parser;
    if (csv_init(&parser, CSV_APPEND_NULL) != 0) {
        fprintf(stderr, "csv_init failed\n");
        return 2;
    }
    struct counts counts = {0, 0, 0};
    static char buffer[65536];
    size_t read;
    while ((read = fread(buffer, 1, sizeof buffer, file)) > 0) {
        if (csv_parse(&parser, buffer, read, on_field, on_row, &counts) != read) {
            fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&parser)));
            return 1;
        }
    }
    csv_fini(&parser, on_field, on_row, &counts);
    csv_free(&parser);
    fclose(file);
    printf("%zu rows, %zu fields, %zu bytes of field data\n", counts.rows, counts.fields, counts.bytes);
    return 0;
}
