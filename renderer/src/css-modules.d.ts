/** CSS modules: class names are generated at build time. */
declare module '*.module.css' {
  const classes: { readonly [name: string]: string };
  export default classes;
}

/** Plain stylesheets imported for their side effect. */
declare module '*.css';
