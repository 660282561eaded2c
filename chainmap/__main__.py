from chainmap._entry import main

main()
