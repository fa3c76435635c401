export default {
  providers: [
    {
      domain: "https://clerk.example.com",
      applicationID: "my-app",
    },
  ],
};
