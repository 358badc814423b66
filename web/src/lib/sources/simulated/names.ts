// Name pools for fictional players. Combined at random, they read like a real roster
// without reproducing any real player.
export const FIRST_NAMES: readonly string[] = [
  'Aaron', 'Adrian', 'Alec', 'Andre', 'Anthony', 'Ari', 'Austin', 'Bennett', 'Brandon', 'Brice',
  'Caleb', 'Cam', 'Carter', 'Cedric', 'Chris', 'Cole', 'Corey', 'Dante', 'Darius', 'Davion',
  'Dean', 'Deon', 'Derrick', 'Desmond', 'Dominic', 'Dwayne', 'Elijah', 'Emeka', 'Eric', 'Ethan',
  'Evan', 'Felix', 'Gabe', 'Garrett', 'Grant', 'Hakeem', 'Hunter', 'Isaac', 'Isaiah', 'Jabari',
  'Jalen', 'Jamal', 'Jaron', 'Javon', 'Jaylen', 'Jeremiah', 'Jerome', 'Jordan', 'Josh', 'Julian',
  'Justin', 'Kai', 'Kamal', 'Keenan', 'Keith', 'Kendall', 'Khalil', 'Kobe', 'Kyle', 'Lamar',
  'Lance', 'Leon', 'Luca', 'Malik', 'Marcus', 'Mario', 'Mason', 'Matteo', 'Miles', 'Moses',
  'Nate', 'Nico', 'Noah', 'Omar', 'Oscar', 'Owen', 'Pascal', 'Quinn', 'Reggie', 'Rashad',
  'Ricky', 'Ryan', 'Sam', 'Santiago', 'Sean', 'Simon', 'Stefan', 'Terrell', 'Theo', 'Tobias',
  'Trey', 'Tristan', 'Tyrese', 'Victor', 'Wes', 'Xavier', 'Yuri', 'Zach', 'Zion', 'Ousmane',
];

export const LAST_NAMES: readonly string[] = [
  'Abernathy', 'Adeyemi', 'Alvarez', 'Barnett', 'Becker', 'Bishop', 'Blackwell', 'Boateng', 'Brennan', 'Calloway',
  'Carrington', 'Castillo', 'Chambers', 'Coleman', 'Crawford', 'Dalton', 'Delgado', 'Diallo', 'Dixon', 'Donovan',
  'Ellison', 'Everett', 'Fairley', 'Fletcher', 'Franklin', 'Gallagher', 'Garrison', 'Greer', 'Hale', 'Hargrove',
  'Hawkins', 'Holloway', 'Ibekwe', 'Jablonski', 'Jennings', 'Kasongo', 'Keller', 'Kowalski', 'Lambert', 'Langford',
  'Lindqvist', 'Lowry-Bates', 'Maddox', 'Marchetti', 'McAllister', 'Mensah', 'Merritt', 'Montgomery', 'Moreau', 'Nakamura',
  'Ndiaye', 'Novak', 'Okafor', 'Oliveira', 'Osei', 'Pacheco', 'Pennington', 'Petrovic', 'Pryor', 'Quarles',
  'Ramsey', 'Reyes', 'Rhodes', 'Rollins', 'Santos', 'Sawyer', 'Sellers', 'Shepherd', 'Sinclair', 'Stanton',
  'Strickland', 'Sutton', 'Tate', 'Thornton', 'Toure', 'Underwood', 'Vasquez', 'Vance', 'Vukovic', 'Wainwright',
  'Waller', 'Whitfield', 'Wilder', 'Winslow', 'Woodson', 'Yancey', 'Yeboah', 'Zeller-Grant', 'Zimmerman', 'Okoye',
  'Pruitt', 'Renner', 'Haddad', 'Kovacs', 'Lindgren', 'Mbeki', 'Navarro', 'Ostrowski', 'Perrin', 'Quintero',
];
