//! `Categories`: Spotify's browse categories.

use super::{get_builder, segment};
use crate::Spotify;
use crate::model::{Category, CategoryId, PagedCategories};

/// `spotify.categories()`.
#[derive(Debug, Clone, Copy)]
pub struct CategoriesHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> CategoriesHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        CategoriesHandler { spotify }
    }

    /// `GET /browse/categories`: one page of browse categories.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `search().query` instead"
    )]
    pub fn list(&self) -> ListCategories<'a> {
        ListCategories::new(self.spotify, "browse/categories".into())
    }

    /// `GET /browse/categories/{category_id}`: one browse category.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `search().query` instead"
    )]
    pub fn get(&self, id: &CategoryId) -> GetCategory<'a> {
        GetCategory::new(
            self.spotify,
            format!("browse/categories/{}", segment(id.id())),
        )
    }
}

get_builder! {
    /// Builder for `GET /browse/categories` (one page, wrapped as `{"categories": page}`).
    ListCategories => PagedCategories;
    /// A locale such as `sv_SE`.
    locale: String,
    ;
    /// Items per page (1..=50, default 20).
    limit: u32,
    /// Index of the first item.
    offset: u32,
}

get_builder! {
    /// Builder for `GET /browse/categories/{category_id}`.
    GetCategory => Category;
    /// A locale such as `sv_SE`.
    locale: String,
}
