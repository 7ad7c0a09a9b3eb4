from jiedao.entry import main

main()
