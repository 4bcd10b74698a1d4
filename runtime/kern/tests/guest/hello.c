/* A static musl program: prints a line with printf, exits 3. */
#include <stdio.h>

int
main(void)
{
	printf("hello, world\n");
	return (3);
}
