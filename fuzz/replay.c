/*
 * replay.c - runs a fuzz target over every file of the given directories
 * (its corpus), without libFuzzer, so `make check` replays the corpus under
 * the sanitizers of the build. Prints TAP: one line per directory.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;
    int ok = 0;

    if (f == NULL)
        return 0;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0
        && (buf = malloc((size_t)n + 1)) != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        LLVMFuzzerTestOneInput(buf, (size_t)n);
        ok = 1;
    }
    free(buf);
    fclose(f);
    return ok;
}

int main(int argc, char **argv)
{
    int i, failed = 0;

    for (i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        struct dirent *e;
        char path[4096];
        int count = 0, bad = 0;

        while (d != NULL && (e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.' || strstr(e->d_name, ".md") != NULL
                || strstr(e->d_name, ".sh") != NULL || strstr(e->d_name, ".py") != NULL)
                continue;
            struct stat st;

            snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            if (replay_file(path))
                count++;
            else
                bad++;
        }
        if (d != NULL)
            closedir(d);
        printf("%sok %d - replayed %d inputs of %s\n", d != NULL && count > 0 && bad == 0 ? "" : "not ",
               i, count, argv[i]);
        failed |= d == NULL || count == 0 || bad != 0;
    }
    printf("1..%d\n", argc - 1);
    return failed;
}
